"""Entry points of the spec layer: any source (chain, file, bundled name, dict) → a validated Spec."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnncalc import importers  # the module, not its names: importers/__init__ imports spec.located
from cnncalc.errors import GraphError, Location, SpecError, ValidationSpecError
from cnncalc.i18n import N_, _, ngettext
from cnncalc.layers import lookup
from cnncalc.layers.dense import Input
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.pydantic_messages import pydantic_message
from cnncalc.shown import quote
from cnncalc.spec.calls import Group, LayerCall
from cnncalc.spec.expand import Expander, Scope, split_activation
from cnncalc.spec.expr import MAX_INT, MAX_SIZE, parse_dims, resolve_value, size_of
from cnncalc.spec.file_check import quick_spec_file
from cnncalc.spec.files import parse_document, read_text
from cnncalc.spec.located import LocDict
from cnncalc.spec.model import Node, Spec, SpecFile
from cnncalc.spec.validate import build_layer

if TYPE_CHECKING:
    from torch.nn import Module

TEXT_SPEC_SUFFIXES = (".yaml", ".yml", ".json")  # spec files in text; ONNX files are read as models
CHAIN_SUFFIXES = (".chain", ".txt")  # one chain, as `convert --to chain` writes it


def spec_file_suffixes() -> tuple[str, ...]:
    """Every suffix load() reads as a spec or a model by its name (what shell completion offers)."""
    claimed = (suffix for importer in importers.IMPORTERS for suffix in importer.suffixes)
    return (*TEXT_SPEC_SUFFIXES, *CHAIN_SUFFIXES, *claimed)


def bundled_specs_dir() -> Path:
    """Where the bundled zoo lives: inside the installed package, or `specs/` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_bundled_specs"
    return installed if installed.is_dir() else here.parent / "specs"


def bundled_names() -> list[str]:
    folder = bundled_specs_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def parse_shape(value: object, where: Location, params: Mapping[str, object] | None = None) -> tuple[int, ...]:
    """'224x224x3', [224, 224, 3] or a single size → a tuple of positive ints."""
    resolved = resolve_value(value, params or {}) if not isinstance(value, int) else (value,)
    if isinstance(resolved, str):
        resolved = parse_dims(resolved) or resolved
    if isinstance(resolved, int) and not isinstance(resolved, bool):
        resolved = (resolved,)
    if (
        not isinstance(resolved, tuple)
        or not resolved
        or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in resolved)
    ):
        raise ValidationSpecError(
            _("input shape must be positive sizes like 32x32x3 (H×W×C), got {value}").format(value=quote(value)),
            location=where,
            hint=_("channels last: L×C for 1-D, H×W×C for 2-D, D×H×W×C for 3-D"),
        )
    return resolved


def load_spec(
    source: str | Path | Mapping[str, object] | Module,
    *,
    input_shape: str | tuple[int, ...] | None = None,
    params: Mapping[str, object] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Spec:
    """Load a spec from a chain, a file path, a bundled name or a dict; apply --input and --set."""
    override = None if input_shape is None else parse_shape(input_shape, Location(path="--input"))
    importer = importers.importer_for("object", source)
    if importer is not None:  # e.g. a torch nn.Module: the importer applies --input as it traces
        traced, checks = importer.read_function()(source, override, type(source).__name__)
        return spec_from_document(traced, None, None, params or {}, limits, checks)
    if isinstance(source, Mapping):
        return spec_from_document(source, None, override, params or {}, limits)
    text = str(source)
    if isinstance(source, str) and not text.strip():
        raise SpecError(
            _("the spec is empty"),
            hint=_("give a .yaml/.json file, a bundled name (cnncalc zoo) or a chain like 'INPUT(32x32x3) → RELU'"),
        )
    if isinstance(source, str) and looks_like_chain(text):
        if params:
            raise ValidationSpecError(_("--set applies to spec files with 'params:', not to chains"))
        return spec_from_chain(text, override, limits)
    path = _find_file(text)
    importer = importers.importer_for("file", path, path.suffix)
    if importer is not None:  # a model file read as bytes, e.g. ONNX
        imported, checks = importer.read_function()(path, limits, input_given=override is not None)
        counts = {key: imported.pop(key) for key in importers.EXPORTER_COUNTS if key in imported}
        spec = spec_from_document(imported, str(path), override, params or {}, limits, checks)
        return dataclasses.replace(spec, **counts) if counts else spec
    text = read_text(path, limits)
    if path.suffix in CHAIN_SUFFIXES or (path.suffix not in TEXT_SPEC_SUFFIXES and _is_chain_file(text)):
        if params:
            raise ValidationSpecError(_("--set applies to spec files with 'params:', not to chains"))
        return spec_from_chain(text.strip(), override, limits, str(path))
    document = parse_document(text, str(path), limits)
    importer = importers.importer_for("document", document)
    if importer is not None:  # another tool's JSON, e.g. Keras's model.to_json()
        document = importer.read_function()(document, str(path), input_shape=override)
    return spec_from_document(document, str(path), override, params or {}, limits)


def same_rank(override: tuple[int, ...], written: tuple[int, ...]) -> None:
    """--input must keep the spec's rank: 64x64 for a 224x224x3 net would silently make it 1-D."""
    if len(override) != len(written):
        example = "x".join(str(n) for n in (*override[: len(written) - 1], written[-1])) if len(written) > 1 else ""
        raise ValidationSpecError(
            _("{given} has {count} axes, but the spec's input {written} has {rank} (channels last)").format(
                given="x".join(map(str, override)),
                count=len(override),
                written="x".join(map(str, written)),
                rank=len(written),
            ),
            location=Location(path="--input"),
            hint=(
                _("give {count} numbers, e.g. {example}")
                if len(override) >= len(written) - 1 and example
                else _("give {count} numbers")
            ).format(count=len(written), example=example),
        )


def _is_chain_file(text: str) -> bool:
    """A file holding one chain (as `convert --to chain` writes): no YAML mapping, and → or (."""
    body = text.strip()
    return looks_like_chain(body) and not any(line.rstrip().endswith(":") or ": " in line for line in body.splitlines())


def looks_like_chain(text: str) -> bool:
    """A command-line SPEC is a chain (rather than a file or a bundled name) when it has → or (."""
    return any(mark in text for mark in ("→", "->", "(", "[", "⟶"))


def _find_file(text: str) -> Path:
    path = Path(text)
    if path.exists():
        return path
    bundled = bundled_specs_dir() / f"{text}.yaml"
    if path.suffix == "" and bundled.exists():
        return bundled
    close = difflib.get_close_matches(Path(text).stem, bundled_names(), n=3)
    if close:
        hint = _("did you mean {names}?").format(names=_(" or ").join(repr(name) for name in close))
    else:
        hint = _(
            "give a .yaml/.json file, a bundled name (cnncalc zoo) or a chain like "
            "'INPUT(32x32x3) → CONV(10, k=5) → RELU'"
        )
    raise SpecError(_("no such file or bundled spec: {name}").format(name=quote(text)), hint=hint)


# -- chains ----------------------------------------------------------------------------------
def spec_from_chain(
    text: str, override: tuple[int, ...] | None, limits: Limits = DEFAULT_LIMITS, source: str | None = None
) -> Spec:
    from cnncalc.spec.chain import parse_chain  # files whose layers are plain names never need it

    items = parse_chain(text, source, limits)
    first = items[0]
    kind = lookup(first.spelling) if isinstance(first, LayerCall) else None
    has_input = kind is not None and kind[0] is Input
    if has_input and override is not None:  # INPUT without a shape, as the notes write it, takes --input
        assert isinstance(first, LayerCall)
        if not first.positional and not first.keywords:
            items = (LayerCall(first.spelling, (override,), (), first.location), *items[1:])
            first = items[0]
    _check_chain_arguments(items)
    expander = Expander({}, limits, None)
    scope = Scope("", {}, {})
    if not has_input:
        if override is None:
            raise ValidationSpecError(
                _("the chain does not start with INPUT, so its input shape is unknown"),
                location=Location(line=1, column=1),
                hint=_("start with INPUT(32x32x3) or pass --input 32x32x3"),
            )
        items = (LayerCall("input", (override,), (), Location(line=1, column=1)), *items)
    elif override is not None:
        same_rank(override, build_layer(first).output_shape(()))  # type: ignore[arg-type]
        items = (LayerCall(first.spelling, (override,), (), first.location), *items[1:])  # type: ignore[union-attr]
    last = expander.add_chain_items(items, scope, None)
    return Spec(tuple(expander.nodes), (last,) if last else ())


def _walk_calls(items: tuple[LayerCall | Group, ...]) -> list[LayerCall]:
    calls: list[LayerCall] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        if isinstance(item, Group):
            stack.extend(reversed(item.items))
        else:
            calls.append(item)
    return calls


def _check_chain_arguments(items: tuple[LayerCall | Group, ...]) -> None:
    """Validate every layer first, so one message lists everything a bare chain still needs."""
    errors: list[tuple[LayerCall, SpecError]] = []
    for call in _walk_calls(items):
        try:
            for layer in split_activation(call):  # CONV(6, 5, Tanh): the conv, then the tanh
                if layer is not None:
                    build_layer(layer)
        except SpecError as exc:
            errors.append((call, exc))
    if len(errors) == 1:
        raise errors[0][1]
    if errors:
        lines = []
        for call, error in errors:
            example = error.hint if error.hint and error.hint.startswith(_("e.g. ")) else ""
            line = _("column {column}: {message} — {example}") if example else _("column {column}: {message}")
            lines.append(line.format(column=call.location.column, message=error.message, example=example))
        raise ValidationSpecError(
            _("{count} layers are incomplete or invalid:").format(count=len(errors)) + "\n  " + "\n  ".join(lines),
            hint=_("arguments go in parentheses: positional first, then key=value"),
        )


# -- files -----------------------------------------------------------------------------------
def spec_from_document(
    document: object,
    file: str | None,
    override: tuple[int, ...] | None,
    overrides: Mapping[str, object],
    limits: Limits = DEFAULT_LIMITS,
    checks: tuple[Callable[[Any], None], ...] = (),
) -> Spec:
    top = Location(file=file, line=1 if file else None)
    if not isinstance(document, Mapping):
        raise ValidationSpecError(
            _("a spec file must be a mapping with 'input:' and 'layers:'"),
            location=top,
            hint=_("see specs/vgg16.yaml for the format"),
        )
    model = _validate_file_model(document, file, top)
    params = _bind_params(model.params, overrides, document, top)
    expander = Expander(model.blocks, limits, file, _raw_block_layers(document))
    scope = Scope("", {}, params)
    prev = None
    if model.input is not None or override is not None:
        where = _where(document, "input", top)
        written = None if model.input is None else parse_shape(model.input, where, params)
        if override is not None and written is not None:
            same_rank(override, written)
        shape = override or written
        prev = expander.add_call(LayerCall("input", (shape,), (), where), scope, (), "input")
    layers = document["layers"]
    last = expander.entries(layers, scope, prev)
    _check_inputs_present(expander.nodes, top)
    outputs = _outputs(model.outputs, scope, last, document, top, expander)
    return Spec(
        tuple(expander.nodes),
        outputs,
        model.name,
        model.description,
        model.source,
        params,
        file,
        model.lint or {},
        checks,
    )


# How pydantic names a key the format does not have (a model says the first, a dataclass the second).
EXTRA_KEY = ("extra_forbidden", "unexpected_keyword_argument")


def _validate_file_model(document: Mapping[str, object], file: str | None, top: Location) -> SpecFile:
    checked = quick_spec_file(dict(document))
    if checked is not None:
        return checked
    from pydantic import TypeAdapter, ValidationError  # only for a top level the quick check does not accept

    keys = [f.name for f in dataclasses.fields(SpecFile)]
    try:
        return TypeAdapter(SpecFile).validate_python(dict(document))
    except ValidationError as exc:
        # An unknown key usually explains a missing one (a typo), so report it first.
        error = min(exc.errors(), key=lambda e: e["type"] not in EXTRA_KEY)
        key = str(error["loc"][0]) if error["loc"] else ""
        where = _where(document, key, top)
        if error["type"] in EXTRA_KEY:
            close = difflib.get_close_matches(key, keys, n=1)
            raise ValidationSpecError(
                _("unknown top-level key {key}").format(key=quote(key)),
                location=where,
                hint=_("did you mean {names}?").format(names=quote(close[0]))
                if close
                else _("a spec has {keys}").format(keys=", ".join(keys)),
            ) from None
        path = ".".join(str(p) for p in error["loc"])
        if error["type"] == "missing":
            missing = _("' of '").join(str(p) for p in reversed(error["loc"]))
            raise ValidationSpecError(
                _("'{field}' is missing").format(field=missing), location=where, hint=_field_hint(key)
            ) from None
        raise ValidationSpecError(
            _("{path}: {problem}").format(path=path, problem=pydantic_message(error)),
            location=where,
            hint=_field_hint(key),
        ) from None


_FIELD_HINTS = {
    "input": N_("e.g. input: 224x224x3 (channels last)"),
    "layers": N_("a list with one layer per item, e.g. layers: [CONV(10, k=5), RELU, FC(10)]"),
    "blocks": N_("blocks map a name to {{params: {{name: default}}, layers: [...]}}"),
    "params": N_("params map names to default values, e.g. params: {{num_classes: 1000}}"),
    "outputs": N_("a list of layer names, e.g. outputs: [logits]"),
}


def _field_hint(key: str) -> str | None:
    hint = _FIELD_HINTS.get(key)
    return None if hint is None else _(hint).format()  # format(): the table's messages escape their braces


def _where(document: object, key: str, fallback: Location) -> Location:
    return document.where(key) if isinstance(document, LocDict) else fallback


def _raw_block_layers(document: Mapping[str, object]) -> dict[str, list[object]]:
    blocks = document.get("blocks")
    if not isinstance(blocks, Mapping):  # none, or checked and refused by the file model
        return {}
    return {name: body["layers"] for name, body in blocks.items() if isinstance(body, Mapping)}


def _bind_params(
    defaults: Mapping[str, object], overrides: Mapping[str, object], document: object, top: Location
) -> dict[str, object]:
    unknown = [k for k in overrides if k not in defaults]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(defaults), n=1)
        known = ", ".join(defaults) or _("none")
        raise ValidationSpecError(
            _("--set {name}: the spec has no parameter {quoted}").format(name=unknown[0], quoted=quote(unknown[0])),
            location=_where(document, "params", top),
            hint=_("did you mean {names}?").format(names=quote(close[0]))
            if close
            else _("its parameters are: {names}").format(names=known),
        )
    for name, value in overrides.items():
        _check_override(name, value, _where(document, "params", top))
    params = {**defaults, **overrides}
    missing = [k for k, v in params.items() if v is None]
    if missing:
        raise ValidationSpecError(
            ngettext("parameter {names} needs a value", "parameters {names} need a value", len(missing)).format(
                names=", ".join(missing)
            ),
            location=_where(document, "params", top),
            hint=_("give a default under 'params:', or pass --set {name}=VALUE").format(name=missing[0]),
        )
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in params.items()}


def _check_override(name: str, value: object, where: Location) -> None:
    """A --set (or params=) value is a number, a word, or a list of those or of such lists (per-axis
    padding), as short as an expression may be: anything deeper or longer is refused before the
    spec is expanded with it."""
    items = _scalars(value)
    if items is None or size_of(value) > MAX_SIZE:
        raise ValidationSpecError(
            _(
                "--set {name}: the value must be a number, a word or a list of at most {most} "
                "characters or items (lists at most two deep), got {value}"
            ).format(name=quote(name), most=MAX_SIZE, value=quote(value)),
            location=where,
            hint=_("e.g. --set num_classes=10, --set kernel=[3,3] or --set padding=[[0,1],[3,3]]"),
        )
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_INT:
            raise ValidationSpecError(
                _("--set {name}: {value} exceeds {most}").format(name=quote(name), value=quote(item), most=MAX_INT),
                location=where,
            )


def _scalars(value: object, depth: int = 0) -> list[object] | None:
    """The scalars in `value`, or None when it holds anything else or lists more than two deep."""
    if value is None or isinstance(value, bool | int | float | str):
        return [value]
    if not isinstance(value, list | tuple) or depth >= 2:
        return None
    found: list[object] = []
    for item in value[: MAX_SIZE + 1]:
        inner = _scalars(item, depth + 1)
        if inner is None:
            return None
        found += inner
    return found


def _check_inputs_present(nodes: list[Node], top: Location) -> None:
    if not nodes or not isinstance(nodes[0].layer, Input):
        raise ValidationSpecError(
            _("the spec has no input: give 'input: 224x224x3' (or a first layer of kind input)"),
            location=top,
            hint=_("or pass --input 224x224x3"),
        )
    for node in nodes[1:]:
        if not node.inputs and not isinstance(node.layer, Input):
            raise GraphError(_("this layer has no input"), location=node.location)


def _outputs(
    declared: list[str] | None,
    scope: Scope,
    last: str | None,
    document: object,
    top: Location,
    expander: Expander,
) -> tuple[str, ...]:
    if declared is None:
        return (last,) if last else ()
    where = _where(document, "outputs", top)
    present = [name for name in declared if name in scope.names or name not in scope.excluded]
    return tuple(expander.reference(name, scope, None, where, "output") for name in present)
