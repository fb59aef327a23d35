"""docs/json.md, the JSON Schemas in cnncalc/schemas/ and the commands' JSON say the same thing.

Every command's `--format json` output (with the options that add optional fields) is validated
against its document's schema; the keys docs/json.md lists for every object are the schema's
properties (the ones marked `?` optional, the others required), and every object a schema
describes is listed in the doc. So none of the three can change without the others.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import cnncalc

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "json.md"
SCHEMAS = Path(cnncalc.__file__).resolve().parent / "schemas"
ANSWERS = ROOT / "examples" / "homework"
URN = "urn:cnncalc:schema:{}:1"

# One invocation per documented schema (the pytest CliRunner runs the real commands in-process).
COMMANDS = {
    "cnncalc.summary/1": ("summary", "lenet5"),
    "cnncalc.symbolic/1": ("summary", "lenet5", "--input", "HxWx1"),
    "cnncalc.layers/1": ("layers",),
    "cnncalc.lint/1": ("lint", "lenet5"),
    "cnncalc.receptive_field/1": ("receptive-field", "lenet5"),
    "cnncalc.run/1": ("run", "lenet5"),
    "cnncalc.conv/1": ("conv", "-x", "1 2; 3 4", "-k", "1"),
    "cnncalc.pool/1": ("pool", "-x", "1 2; 3 4", "-k", "2"),
    "cnncalc.zoo/1": ("zoo",),
    "cnncalc.explain/1": ("explain", "lenet5"),
    "cnncalc.out_size/1": ("out-size", "-W", "7", "-F", "3"),
    "cnncalc.compare/1": ("compare", "lenet5", "alexnet"),
    "cnncalc.conventions/1": ("compare", "lenet5", "--conventions"),
    "cnncalc.check/1": ("check", str(ANSWERS / "ana.yaml")),
    "cnncalc.gradebook/1": ("check", str(ANSWERS / "ana.yaml"), "--key", str(ANSWERS / "key.yaml")),
    "cnncalc.convert/1": ("convert", "lenet5"),
    "cnncalc.diff/1": ("diff", "lenet5", "alexnet"),
    "cnncalc.export/1": ("export", "lenet5"),
    "cnncalc.diagram/1": ("diagram", "lenet5"),
    "cnncalc.memory/1": ("memory", "lenet5"),
    "cnncalc.scale/1": ("scale", "lenet5", "--sizes", "32,64"),
    "cnncalc.report/1": ("report", "lenet5"),
    "cnncalc.solve_padding/1": ("solve", "padding", "-W", "7", "-F", "3"),
    "cnncalc.solve_map/1": ("solve", "map", "-W", "7", "--to", "3"),
    "cnncalc.solve_inputs/1": ("solve", "inputs", "lenet5", "--max", "40"),
    "cnncalc.exercise/1": ("exercise", "--seed", "1"),
}

# Both branches give 3×3×2, with jumps 2 and 1: the field of `clash` is undefined (axes null).
MERGES = """
input: 6x6x2
layers:
  - {name: halved, inputs: input, avg_pool: 2}
  - {name: kept, inputs: input, conv: {filters: 2, kernel: 4}}
  - {name: clash, inputs: [halved, kept], concat: {}}
"""
# A claim YAML reads as a date and one as NaN: JSON has neither, the document still has to be JSON.
ODD_ANSWERS = """
spec: lenet5
answers:
  total: {params: 2024-01-01, macs: .nan}
  conv_1: {output_shape: [28, 28, 6], receptive_field: 5}
"""
LINTED = "INPUT(7x7x1) → CONV(4, k=2, s=2) → FLATTEN → DENSE(3)"

# The variants that add optional fields or take the other branch of a nullable one; {name} is a file
# the `files` fixture writes. Exit codes: 0, or 1 where the command reports findings.
VARIANTS = [
    ("cnncalc.summary/1", ("summary", "lenet5", "--rf")),
    ("cnncalc.summary/1", ("summary", "resnet18", "--layout", "chw", "--rf")),
    ("cnncalc.summary/1", ("summary", "lenet5", "--convention", "fvcore", "--batch", "2")),
    ("cnncalc.summary/1", ("summary", "{merges}", "--rf")),
    ("cnncalc.summary/1", ("summary", "INPUT(8x8x3) → CONV(4, k=3)")),
    ("cnncalc.symbolic/1", ("summary", "inception_3a", "--input", "HxWx192")),
    ("cnncalc.lint/1", ("lint", LINTED)),
    ("cnncalc.lint/1", ("lint", "lenet5", "{missing}", "{broken}", "INPUT(8x8x3) → NOSUCHLAYER(3)")),
    ("cnncalc.receptive_field/1", ("receptive-field", "lenet5", "--layer", "conv_2", "--at", "3,4")),
    ("cnncalc.receptive_field/1", ("receptive-field", "{merges}")),
    ("cnncalc.receptive_field/1", ("receptive-field", "hourglass")),
    ("cnncalc.run/1", ("run", "inception_3a", "--input", "8x8x192", "--batch", "2")),
    ("cnncalc.conv/1", ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain", "--grad", "1 1; 1 1")),
    ("cnncalc.conv/1", ("conv", "-x", "1 2; 3 4 | 5 6; 7 8", "-k", "1 | 2", "-p", "1", "--flip")),
    ("cnncalc.conv/1", ("conv", "-x", "1 2 3 4", "-k", "1 -1", "--explain")),
    (
        "cnncalc.conv/1",
        ("conv", "-x", "1 2; 3 4 | 5 6; 7 8", "-k", "1 | 2", "--as-matrix", "--grad", "1 1; 1 1", "--explain"),
    ),
    ("cnncalc.conv/1", ("conv", "-x", "; ".join(["1 2 3 4 5 6 7 8 9 10 11"] * 11), "-k", "2", "--explain")),
    ("cnncalc.pool/1", ("pool", "-x", "1 2; 3 4", "-k", "2", "--grad", "1", "--explain")),
    ("cnncalc.pool/1", ("pool", "-x", "1 2; 3 4", "-k", "1", "-p", "1")),
    ("cnncalc.pool/1", ("pool", "-x", "-1 -2; -3 -4", "-k", "2", "-t", "lp", "--power", "3", "--explain")),
    ("cnncalc.pool/1", ("pool", "-x", "1 2 3 4; 5 6 7 8", "-k", "2", "-t", "avg", "-s", "1", "-p", "1")),
    ("cnncalc.explain/1", ("explain", "inception_3a")),
    ("cnncalc.out_size/1", ("out-size", "-W", "1000", "-F", "3", "-S", "7")),
    ("cnncalc.compare/1", ("compare", "resnet18", "unet")),
    ("cnncalc.compare/1", ("compare", "INPUT(8) → DENSE(4)", "INPUT(8) → DENSE(2)")),
    ("cnncalc.conventions/1", ("compare", "resnet18", "--conventions", "--batch", "4")),
    ("cnncalc.check/1", ("check", str(ANSWERS / "ana.yaml"), str(ANSWERS / "bruno.yaml"))),
    ("cnncalc.check/1", ("check", "{odd_answers}")),
    (
        "cnncalc.gradebook/1",
        ("check", str(ANSWERS), "{missing}", "--key", str(ANSWERS / "key.yaml"), "--follow-through"),
    ),
    ("cnncalc.convert/1", ("convert", "lenet5", "--to", "chain", "-o", "{out}/lenet5.txt")),
    ("cnncalc.convert/1", ("convert", "resnet18", "--to", "json")),
    ("cnncalc.convert/1", ("convert", "lenet5", "--fc-to-conv", "--input", "64x64x1")),
    ("cnncalc.diff/1", ("diff", "alexnet", "lenet5", "--fail-on", "params+1%")),
    ("cnncalc.diff/1", ("diff", "resnet18", "resnet34")),
    ("cnncalc.export/1", ("export", "resnet18", "--to", "keras", "-o", "{out}/resnet18.py")),
    ("cnncalc.diagram/1", ("diagram", "inception_3a", "--layout", "chw")),
    ("cnncalc.memory/1", ("memory", "resnet18", "--batch", "8", "--optimizer", "adam", "--amp")),
    ("cnncalc.scale/1", ("scale", "lenet5", "--sizes", "4,16,32")),
    ("cnncalc.scale/1", ("scale", "lenet5", "--sizes", "32,10000")),
    ("cnncalc.report/1", ("report", LINTED)),
    ("cnncalc.solve_map/1", ("solve", "map", "-W", "224", "--to", "112")),
    ("cnncalc.exercise/1", ("exercise", "--seed", "7", "--level", "3")),
]

# Bad input of each kind: the error object on stderr, exit code 2.
BAD_INPUT = [
    ("summary", "{missing}"),
    ("summary", "{broken}"),
    ("summary", "{bad_expression}"),
    ("summary", "INPUT(8x8x3) → CONV(4, k=9)"),
    ("receptive-field", "lenet5", "--layer", "conv_1", "--at", "99,0"),
    ("compare", "lenet5"),
    ("conv", "-x", "1 2", "-k", "1 2 3"),
    ("pool", "-x", "1 2; 3 4", "-k", "2", "-t", "lp", "--power", "inf"),  # (Σ x^∞)^(1/∞) gave 1 for every window
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("json_docs")
    written = {
        "merges": MERGES,
        "odd_answers": ODD_ANSWERS,
        "broken": "name: broken\ninput: 8x8x3\nlayers:\n  - conv: {filters: 4, kernel: [3\n",
        "bad_expression": "input: 8x8x3\nparams: {a: 1}\nlayers:\n  - conv: {filters: '${a // 0}', kernel: 3}\n",
    }
    paths = {name: folder / f"{name}.yaml" for name in written}
    for name, text in written.items():
        paths[name].write_text(text, encoding="utf-8")
    return {**{name: str(path) for name, path in paths.items()}, "missing": str(folder / "none.yaml"),
            "out": str(folder)}  # fmt: skip


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def strict_json(text: str) -> object:
    """json.loads without Python's extensions: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=_no_constant)


def load_schemas() -> dict[str, dict]:
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8")) for path in SCHEMAS.iterdir()
            if path.name.endswith(".schema.json")}  # fmt: skip


SCHEMA_FILES = load_schemas()
REGISTRY = referencing.Registry().with_resources(
    (schema["$id"], referencing.Resource.from_contents(schema)) for schema in SCHEMA_FILES.values()
)


def validator(name: str):
    return jsonschema.Draft202012Validator({"$ref": URN.format(name)}, registry=REGISTRY)


def short(schema: str) -> str:
    """cnncalc.solve_map/1 → solve_map"""
    return schema.removeprefix("cnncalc.").removesuffix("/1")


def check_document(schema: str, out: str) -> None:
    document = strict_json(out)
    errors = sorted(validator(short(schema)).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# -- the outputs against the schemas ---------------------------------------------------------
@pytest.mark.parametrize(("schema", "args"), VARIANTS, ids=[" ".join(a)[:60] for _, a in VARIANTS])
def test_variants_match_the_schema(schema, args, run_cli, files):
    code, out, err = run_cli(*(a.format(**files) for a in args), "--format", "json")
    assert code in (0, 1) or (code == 2 and args[0] in ("lint", "check")), err  # a spec or answers file unread
    check_document(schema, out)


@pytest.mark.parametrize("args", BAD_INPUT, ids=[" ".join(a)[:50] for a in BAD_INPUT])
def test_errors_match_the_error_schema(args, run_cli, files):
    code, out, err = run_cli(*(a.format(**files) for a in args), "--format", "json")
    assert code == 2 and not out.strip(), out
    error = strict_json(err.strip())
    errors = list(validator("error").iter_errors(error))
    assert not errors, [e.message for e in errors]


def test_a_usage_error_is_the_error_object_too():
    """Unknown options are caught before any command runs (cnncalc.cli.app.main), so run the real CLI."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "cnncalc", "summary", "lenet5", "--bogus", "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert result.returncode == 2 and not result.stdout
    error = strict_json(result.stderr.strip())
    assert not list(validator("error").iter_errors(error)) and error["error"] == "usage"


def test_a_check_answers_file_that_cannot_be_read_is_listed_in_errors(run_cli, files):
    code, out, _ = run_cli("check", str(ANSWERS / "ana.yaml"), files["missing"], "--format", "json")
    assert code == 2
    check_document("cnncalc.check/1", out)
    assert len(strict_json(out)["errors"]) == 1


def test_optional_branches_are_exercised(run_cli, files):
    """The variants above reach what they are there for (else a schema branch goes untested)."""
    lint = strict_json(run_cli("lint", "lenet5", files["missing"], "--format", "json")[1])
    assert lint["results"][1]["error"]["error"] == "spec"
    fields = strict_json(run_cli("receptive-field", files["merges"], "--format", "json")[1])
    assert [r["axes"] for r in fields["layers"] if r["name"] == "clash"] == [None]
    scaled = strict_json(run_cli("scale", "lenet5", "--sizes", "4,32", "--format", "json")[1])
    assert scaled["rows"][0]["error"] and scaled["rows"][0]["params"] is None
    odd = strict_json(run_cli("check", files["odd_answers"], "--format", "json")[1])
    # as written: answers keep their digits (YAML would read .nan as a float JSON cannot hold)
    assert [c["claimed"] for c in odd["results"][0]["claims"]][:2] == ["2024-01-01", ".nan"]
    cut = strict_json(run_cli("conv", "-x", "; ".join(["1 2 3 4 5 6 7 8 9 10 11"] * 11), "-k", "2", "--explain",
                              "-f", "json")[1])  # fmt: skip
    assert len(cut["cells"]) == 100 and cut["notes"]  # 121 outputs, the working of the first 100
    lp = strict_json(run_cli("pool", "-x", "-1 -2; -3 -4", "-k", "2", "-t", "lp", "--power", "3", "-f", "json")[1])
    assert lp["output"] == [["NaN"]]  # (−1 − 8 − 27 − 64)^(1/3) has no real value: NaN in PyTorch
    padded = strict_json(run_cli("pool", "-x", "1 2; 3 4", "-k", "1", "-p", "1", "-f", "json")[1])
    assert padded["output"][0][0] == "-Infinity" and padded["output"][1][1] == 1  # a max over padding only


def test_compare_gives_shapes_and_fields_as_numbers(run_cli):
    """LeNet-5's last map (5×5×16 after the second pooling) sees 16×16 input pixels: 5 + 1·1 + 4·2 + 1·2
    by the recurrence r += (k − 1)·j; AlexNet's last map sees 195×195; the outputs are 10 and 1000 classes."""
    document = strict_json(run_cli("compare", "lenet5", "alexnet", "--format", "json")[1])
    rows = {row["quantity"]: row for row in document["rows"]}
    assert (rows["receptive field"]["a"], rows["receptive field"]["b"]) == ([16, 16], [195, 195])
    assert (rows["output shape"]["a"], rows["output shape"]["b"]) == ([[10]], [[1000]])
    assert rows["parameters"]["a"] == 61706  # LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850
    assert rows["receptive field"]["difference"] is None and rows["output shape"]["ratio"] is None


def test_the_schemas_refuse_what_the_doc_rules_out(run_cli):
    """A schema that let everything through would pass every test above: each of these breaks one rule."""
    summary = strict_json(run_cli("summary", "lenet5", "--format", "json")[1])
    first = summary["layers"][1]
    bad_summaries = [
        {**summary, "input": "32×32×1"},  # a shape as text
        {**summary, "input": [32, 0, 1]},  # shapes are positive
        {**summary, "layers": [{**first, "params": -1}]},  # counts are ≥ 0
        {**summary, "layers": [{**first, "extra": 1}]},  # no undocumented keys
        {**summary, "totals": {k: v for k, v in summary["totals"].items() if k != "neurons"}},  # all required
        {**summary, "schema": "cnncalc.summary/2"},
        {**summary, "layout": "nchw"},
    ]
    assert not any(validator("summary").is_valid(document) for document in bad_summaries)
    compare = strict_json(run_cli("compare", "lenet5", "alexnet", "--format", "json")[1])
    rows = {row["quantity"]: row for row in compare["rows"]}
    bad_rows = [
        {**rows["receptive field"], "a": "16×16"},
        {**rows["output shape"], "a": [10]},  # a list of shapes, not one shape
        {**rows["parameters"], "a": None},
        {**rows["receptive field"], "difference": 179},
    ]
    assert not any(validator("compare").is_valid({**compare, "rows": [row]}) for row in bad_rows)
    error = {"error": "oops", "message": "m", "hint": None, "file": None, "line": 0, "column": None, "layer": None,
             "path": None}  # fmt: skip
    assert not validator("error").is_valid(error)
    assert validator("error").is_valid({**error, "error": "usage", "line": 1})


def test_every_spec_error_code_is_in_the_error_schema():
    import cnncalc.spec.expr  # noqa: F401  (defines the expression error)
    from cnncalc.errors import SpecError

    def codes(cls: type[SpecError]) -> set[str]:
        return {cls.code}.union(*(codes(sub) for sub in cls.__subclasses__()))

    assert codes(SpecError) == set(SCHEMA_FILES["error"]["properties"]["error"]["enum"])


# -- the schemas themselves ------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_is_valid_draft_2020_12_with_a_urn_id(name):
    schema = SCHEMA_FILES[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == URN.format(name)  # an identifier, not a URL that would have to exist
    if name not in ("common", "error"):
        assert schema["properties"]["schema"] == {"const": f"cnncalc.{name}/1"}


def test_the_docs_way_to_validate_works(run_cli):
    """docs/json.md shows how to load the installed schemas into a validator: run that code."""
    code = re.search(r"```python\n(.*?)```", doc_text(), re.S).group(1)  # type: ignore[union-attr]
    namespace: dict[str, object] = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # the test runs the doc's own example
    good = strict_json(run_cli("summary", "lenet5", "--format", "json")[1])
    assert namespace["validator"].is_valid(good)  # type: ignore[attr-defined]
    assert not namespace["validator"].is_valid({**good, "totals": {**good["totals"], "macs": "416,520"}})  # type: ignore[attr-defined]


# -- docs/json.md against the schemas --------------------------------------------------------
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def documented() -> dict[str, set[str]]:
    """The documents' top-level keys as docs/json.md lists them (`key?` for optional ones)."""
    rows = re.findall(r"^\| `(cnncalc\.[a-z_]+/\d+)` \| [^|]+ \| ([^|]+) \|", doc_text(), re.M)
    return {schema: {key.strip() for key in keys.split(",")} for schema, keys in rows}


def documented_objects() -> dict[str, set[str]]:
    """`| `summary.layers[]` | index, name, … |` rows: the keys of every object inside a document."""
    rows = re.findall(r"^\| `([a-z_]+(?:\[\]|\.[a-z_]+)+|error)` \| ([^|]+) \|$", doc_text(), re.M)
    return {path: {key.strip() for key in keys.split(",")} for path, keys in rows}


def test_every_documented_schema_has_a_command_here():
    assert set(documented()) == set(COMMANDS)


@pytest.mark.parametrize("schema", sorted(COMMANDS))
def test_command_json_matches_the_doc(schema, run_cli):
    code, out, err = run_cli(*COMMANDS[schema], "--format", "json")
    assert code in (0, 1), err  # lint, diff, check and run may report findings
    document = strict_json(out)
    assert document["schema"] == schema
    keys = documented()[schema]
    assert {k for k in keys if not k.endswith("?")} <= set(document) <= {k.rstrip("?") for k in keys}
    check_document(schema, out)


def test_every_document_links_its_schema_file():
    links = dict(
        re.findall(
            r"^\| `(cnncalc\.[a-z_]+)/\d+` \|.*\]\(\.\./cnncalc/schemas/([a-z_]+)\.schema\.json\)", doc_text(), re.M
        )
    )
    assert links == {f"cnncalc.{name}": name for name in map(short, COMMANDS)}
    assert "(../cnncalc/schemas/error.schema.json)" in doc_text()
    assert set(SCHEMA_FILES) == {*links.values(), "error", "common"}


def resolve(node: dict, path: list[str]) -> dict:
    """The object schema at `path` (['layers', '[]', 'axes', '[]']), following $ref and nullable anyOf."""
    if "$ref" in node:
        resolved = REGISTRY.resolver().lookup(node["$ref"]) if node["$ref"].startswith("urn:") else None
        assert resolved is not None, node["$ref"]
        return resolve(resolved.contents, path)
    for branch in node.get("anyOf", ()):
        if branch.get("type") != "null":
            return resolve(branch, path)
    if not path:
        return node
    head, *rest = path
    return resolve(node["items"] if head == "[]" else node["properties"][head], rest)


def split(path: str) -> tuple[str, list[str]]:
    root, *parts = re.findall(r"\[\]|[a-z_]+", path)
    return root, parts


def described(path: str) -> dict:
    root, parts = split(path)
    return resolve(SCHEMA_FILES[root], parts)


def agrees(schema: dict, keys: set[str]) -> None:
    assert schema.get("additionalProperties") is False
    assert set(schema["properties"]) == {k.rstrip("?") for k in keys}
    assert set(schema["required"]) == {k for k in keys if not k.endswith("?")}


@pytest.mark.parametrize("schema", sorted(COMMANDS))
def test_doc_top_level_keys_are_the_schema(schema):
    agrees(described(short(schema)), documented()[schema])


def test_doc_objects_are_the_schemas_objects():
    objects = documented_objects()
    for path, keys in objects.items():
        agrees(described(path), keys)
    assert set(objects) == set(object_paths()) - {short(s) for s in COMMANDS}


def object_paths() -> list[str]:
    """Every object with listed keys in every document, as `doc.key[].key`: shared definitions
    ($defs) are listed where they are used; a whole document inside another (report.summary) is not."""
    found: list[str] = []

    def walk(node: dict, path: str) -> None:
        target = node.get("$ref", "")
        if target.startswith("urn:") and "#/$defs/" in target:
            walk(REGISTRY.resolver().lookup(target).contents, path)
        if "properties" in node:
            found.append(path)
            for key, value in node["properties"].items():
                walk(value, f"{path}.{key}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[]")
        for branch in node.get("anyOf", ()):
            walk(branch, path)

    for name, schema in SCHEMA_FILES.items():
        if name != "common":
            walk(schema, name)
    return found


def test_every_object_in_a_schema_is_closed():
    """No object takes keys its schema does not name (maps like by_kind name their value type instead)."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                assert node.get("additionalProperties") is False, node
            elif node.get("type") == "object":
                assert isinstance(node.get("additionalProperties"), dict), node
            for key, value in node.items():
                if key not in ("if", "then", "else"):  # conditions narrow properties declared above them
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in SCHEMA_FILES.values():
        walk(schema)


def test_spec_schema_id_is_a_urn():
    from cnncalc.spec.schema import spec_schema

    assert spec_schema()["$id"] == "urn:cnncalc:schema:spec:1"


def test_every_command_takes_format_json(run_cli):
    from cnncalc.cli.app import COMMANDS as NAMES
    from cnncalc.cli.app import GROUPS

    for name, *_ in NAMES:
        _, help_text, _ = run_cli(name, "--help")
        assert "--format" in help_text, name
    for name, *_ in GROUPS:
        assert "--format" in run_cli(name, "padding", "--help")[1], name
