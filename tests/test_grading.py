"""`cnncalc check --key`: grading a class into a gradebook. Expected values are the hand
arithmetic of examples/homework/exercise.yaml: 32×32×3 → CONV(10, 5, s=1, p=2) → RELU → POOL(2) → FC(10).

conv: ⌊(32 − 5 + 4)/1⌋ + 1 = 32 → 32×32×10, params 3·10·25 + 10 = 760, MACs 32·32·10·75 = 768,000
pool: 32/2 = 16 → 16×16×10, receptive field 5 + (2 − 1)·1 = 6
fc: 16·16·10·10 + 10 = 25,610; total 760 + 25,610 = 26,370
key.yaml: conv_shape 2, conv_params 1, conv_macs 1, pool_shape 2, pool_field 1, fc_params 2, total_params 1 → 10 points
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "homework"
KEY = EXAMPLES / "key.yaml"
QUESTIONS = ["conv_shape", "conv_params", "conv_macs", "pool_shape", "pool_field", "fc_params", "total_params"]


def gradebook(run_cli, *args: str) -> tuple[int, dict]:
    code, out, _ = run_cli("check", *args, "--key", str(KEY), "-f", "json")
    return code, json.loads(out)


def answers(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cells(row: dict) -> dict[str, tuple[str, object]]:
    return {c["question"]: (c["status"], c["points"]) for c in row["cells"]}


def test_unanswered_questions_count_against_the_total(run_cli, tmp_path):
    # Two right answers of seven questions: 2 + 1 = 3 points of 10, not "2/2".
    two = answers(tmp_path, "dana.yaml", "answers: {conv: {output_shape: 32x32x10, params: 760}}\n")
    code, book = gradebook(run_cli, two)
    (row,) = book["students"]
    assert code == 0 and book["max_points"] == 10
    assert (row["id"], row["points"], row["answered"]) == ("dana", 3, 2)
    assert cells(row) == {
        "conv_shape": ("right", 2), "conv_params": ("right", 1), "conv_macs": ("blank", 0),
        "pool_shape": ("blank", 0), "pool_field": ("blank", 0), "fc_params": ("blank", 0), "total_params": ("blank", 0),
    }  # fmt: skip


def test_a_class_folder_ana_and_bruno(run_cli):
    # The folder holds ana, bruno, the key and the spec: the key and its spec are not students.
    code, book = gradebook(run_cli, str(EXAMPLES))
    assert code == 0 and not book["errors"]
    ana, bruno = book["students"]
    assert (ana["id"], ana["points"]) == ("Ana", 10)
    # Bruno: 28x28x10 ✗, 750 ✗, macs blank, 14x14x10 ✗, field 6 ✓ (1), 25610 ✓ (2), 26360 ✗ → 3
    assert (bruno["id"], bruno["points"]) == ("Bruno", 3)
    assert [c["status"] for c in bruno["cells"]] == ["wrong", "wrong", "blank", "wrong", "right", "right", "wrong"]


def test_follow_through_credits_a_carried_slip(run_cli):
    # Bruno's pool 14x14x10 is right from his own conv output 28x28x10 (28/2 = 14), and his total
    # 26,360 is his own 750 + 25,610: with --follow-through 3 + 2 + 1 = 6 points.
    code, book = gradebook(run_cli, str(EXAMPLES / "bruno.yaml"), "--follow-through")
    (bruno,) = book["students"]
    assert code == 0 and bruno["points"] == 6
    carried = {c["question"]: c["note"] for c in bruno["cells"] if c["status"] == "follow-through"}
    assert carried == {
        "pool_shape": "right from your own conv output 28x28x10",
        "total_params": "the sum of your own layer values is 26,360",
    }


def test_follow_through_into_a_later_layers_params(run_cli, tmp_path):
    # A wrong pool output 14x14x10 carried into fc: 14·14·10·10 + 10 = 19,610.
    slip = answers(tmp_path, "eva.yaml", "answers: {pool: {output_shape: 14x14x10}, fc: {params: 19610}}\n")
    _, book = gradebook(run_cli, slip)
    assert cells(book["students"][0])["fc_params"] == ("wrong", 0)
    _, book = gradebook(run_cli, slip, "--follow-through")
    assert cells(book["students"][0])["fc_params"] == ("follow-through", 2)
    assert cells(book["students"][0])["pool_shape"] == ("wrong", 0)  # the slip itself still costs


def test_a_layer_typo_costs_that_answer_only(run_cli, tmp_path):
    typo = answers(tmp_path, "f.yaml", "answers: {cnov: {params: 760}, fc: {params: 25610}}\n")
    _, book = gradebook(run_cli, typo)
    (row,) = book["students"]
    assert row["points"] == 2 and cells(row)["conv_params"] == ("blank", 0)
    assert row["notes"] == ["'cnov' is not a layer the key asks about — did you mean 'conv'?"]
    # Without a key the claim is marked wrong with the same hint; the file is still read.
    code, out, _ = run_cli("check", answers(tmp_path, "g.yaml", f"spec: {EXAMPLES / 'exercise.yaml'}\n"
                                           "answers: {cnov: {params: 760}, fc: {params: 25610}}\n"), "-f", "json")  # fmt: skip
    claims = json.loads(out)["results"][0]["claims"]
    assert code == 0 and [c["ok"] for c in claims] == [False, True]
    assert claims[0]["note"] == "the spec has no layer 'cnov' — did you mean 'conv'?"


def test_spanish_keys_with_and_without_accents(run_cli, tmp_path):
    text = (
        "estudiante: Lucía\nrespuestas:\n  conv: {forma_de_salida: 32x32x10, parámetros: 760}\n"
        "  pool: {Campo receptivo: 6}\n  total: {parametros: 26370}\n"
    )
    _, book = gradebook(run_cli, answers(tmp_path, "lucia.yaml", text))
    (row,) = book["students"]
    assert (row["id"], row["points"]) == ("Lucía", 2 + 1 + 1 + 1)
    key = tmp_path / "clave.yaml"
    key.write_text(f"red: {EXAMPLES / 'exercise.yaml'}\npuntos: 2\npreguntas:\n"
                   "  p1: {capa: conv, magnitud: parámetros}\n  p2: {capa: pool, magnitud: campo_receptivo}\n")  # fmt: skip
    code, out, _ = run_cli("check", str(tmp_path / "lucia.yaml"), "--key", str(key), "-f", "json")
    assert code == 0 and json.loads(out)["students"][0]["points"] == 4


def test_csv_escapes_names_and_leaves_blanks_empty(run_cli, tmp_path):
    evil = answers(tmp_path, "x.yaml", 'student: "=HYPERLINK(1)"\nanswers: {conv: {params: 760}}\n')
    code, out, _ = run_cli("check", evil, "--key", str(KEY), "-f", "csv")
    header, row = list(csv.reader(io.StringIO(out)))
    assert code == 0 and header == ["student", "file", *QUESTIONS, "points", "max_points"]
    assert row[0] == "'=HYPERLINK(1)" and row[2:] == ["", "1", "", "", "", "", "", "1", "10"]


def test_feedback_files_with_the_working(run_cli, tmp_path):
    out = tmp_path / "feedback"
    evil = answers(tmp_path, "x.yaml", 'id: "../../escape"\nanswers: {conv: {params: 750}}\n')
    code, _, err = run_cli("check", str(EXAMPLES / "bruno.yaml"), evil, "--key", str(KEY), "--feedback", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["Bruno.txt", "escape.txt"]  # the id cannot leave the folder
    text = (out / "escape.txt").read_text(encoding="utf-8")
    assert "✗ conv_params [0/1]: 750 — correct: 760" in text
    assert "params = Ci·Co·K² + Co = 3·10·5² + 10 = 760" in text
    assert "points: 0/10" in text
    code, _, err = run_cli("check", evil, "--key", str(KEY), "--feedback", str(out))
    assert code == 2 and "exists" in err  # never over a file without --force
    assert run_cli("check", evil, "--key", str(KEY), "--feedback", str(out), "--force")[0] == 0


def test_exit_codes_say_whether_the_run_worked(run_cli, tmp_path):
    bruno = str(EXAMPLES / "bruno.yaml")
    assert run_cli("check", bruno, "--key", str(KEY))[0] == 0
    assert run_cli("check", bruno, "--key", str(KEY), "--fail-under", "3")[0] == 0  # 3 points
    assert run_cli("check", bruno, "--key", str(KEY), "--fail-under", "3.5")[0] == 1
    code, _, err = run_cli("check", bruno, "--key", str(KEY), "--fail-under", "many")
    assert code == 2 and "--fail-under takes a number" in err
    code, out, err = run_cli("check", bruno, str(tmp_path / "none.yaml"), "--key", str(KEY), "-f", "csv")
    assert code == 2 and "Bruno" in out and "none.yaml" in err  # the others are still graded
    code, _, err = run_cli("check", bruno, "-f", "table")
    assert code == 2 and "--key" in err


def test_bad_keys_are_refused_with_a_located_message(run_cli, tmp_path):
    spec = EXAMPLES / "exercise.yaml"
    for body, said in (
        ("questions: {q1: {layer: cnov, quantity: params}}", "the spec has no layer 'cnov' — did you mean 'conv'?"),
        ("questions: {q1: {layer: conv, quantity: parmas}}", "unknown quantity 'parmas' — did you mean 'params'?"),
        ("questions: {q1: {layer: conv, quantity: params, points: -1}}", "points must be a number of at least 0"),
        ("questions: {q1: {answer: 2x2, kind: int}}", "the answer '2x2' is not of kind 'int'"),
        ("questions: {}", "an answer key needs 'questions:'"),
    ):
        key = tmp_path / "key.yaml"
        key.write_text(f"spec: {spec}\n{body}\n", encoding="utf-8")
        code, _, err = run_cli("check", str(EXAMPLES / "ana.yaml"), "--key", str(key))
        assert code == 2 and said in err and "Traceback" not in err, (body, err)


def test_too_many_answers_files_is_a_limit(run_cli, tmp_path, monkeypatch):
    from dataclasses import replace

    import cnncalc.limits

    monkeypatch.setattr(cnncalc.limits, "DEFAULT_LIMITS", replace(cnncalc.limits.DEFAULT_LIMITS, max_answer_files=2))
    for n in range(3):
        answers(tmp_path, f"s{n}.yaml", "answers: {conv: {params: 760}}\n")
    code, _, err = run_cli("check", str(tmp_path), "--key", str(KEY))
    assert code == 2 and "more than 2 answers files" in err


def test_the_key_in_the_docs_grades(run_cli, tmp_path):
    # docs/homework.md's key beside a copy of the exercise: q8 (32 − 5)/1 + 1 = 28, q9 on 8×8×1 with
    # 4 filters 3×3 (s=1, p=0): 6·6 positions · 4 · 1·9 = 1,296 MACs.
    text = (EXAMPLES.parent.parent / "docs" / "homework.md").read_text(encoding="utf-8")
    key = text.split("# examples/homework/key.yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "exercise.yaml").write_text((EXAMPLES / "exercise.yaml").read_text(encoding="utf-8"))
    (tmp_path / "key.yaml").write_text(key, encoding="utf-8")
    student = answers(tmp_path, "ana.yaml", "answers: {q8: 28, q9: '1296', conv: {params: 760}}\n")
    code, out, _ = run_cli("check", student, "--key", str(tmp_path / "key.yaml"), "-f", "json")
    (row,) = json.loads(out)["students"]
    assert code == 0 and row["points"] == 3 and row["max_points"] == 2 + 1 + 1 + 1 + 1


def test_pytorch_order_is_right_with_a_note(run_cli, tmp_path):
    # conv's output is 32×32×10 (channels last); PyTorch writes it 10×32×32.
    torch_order = answers(
        tmp_path, "h.yaml", "answers: {conv: {output_shape: 10x32x32}, pool: {output_shape: 10x16x16}}\n"
    )
    _, book = gradebook(run_cli, torch_order)
    (row,) = book["students"]
    right = {c["question"]: c["note"] for c in row["cells"] if c["status"] == "right"}
    assert right == {
        "conv_shape": "channels first (PyTorch's order): cnncalc writes channels last, 32x32x10",
        "pool_shape": "channels first (PyTorch's order): cnncalc writes channels last, 16x16x10",
    }
    wrong = answers(tmp_path, "i.yaml", "answers: {conv: {output_shape: 32x10x32}}\n")  # no order gives that
    assert cells(gradebook(run_cli, wrong)[1]["students"][0])["conv_shape"] == ("wrong", 0)


def test_spanish_numbers_in_an_answers_file(run_cli, tmp_path):
    # idioma: es — 25.610 and 26 370 are whole numbers (point and space group thousands), 768.000 too.
    text = (
        "idioma: es\nrespuestas:\n  conv: {macs: 768.000, forma_de_salida: '(32, 32, 10)'}\n"
        "  fc: {parámetros: 25.610}\n  total: {parametros: 26 370}\n"
    )
    _, book = gradebook(run_cli, answers(tmp_path, "sofia.yaml", text))
    (row,) = book["students"]
    assert {q: s for q, (s, _) in cells(row).items() if s != "blank"} == {
        "conv_shape": "right", "conv_macs": "right", "fc_params": "right", "total_params": "right",
    }  # fmt: skip
    # The same digits in English: 25.610 is a decimal, not 25,610 — wrong, never guessed.
    english = answers(tmp_path, "tom.yaml", "answers: {fc: {params: 25.610}}\n")
    (row,) = gradebook(run_cli, english)[1]["students"]
    assert cells(row)["fc_params"] == ("wrong", 0)


def test_an_ambiguous_answer_is_wrong_with_both_readings(run_cli, tmp_path):
    # In Spanish 1,216 is 1.216 with a decimal comma, or 1216 written the English way: refused.
    key = tmp_path / "key.yaml"
    key.write_text("questions: {q1: {answer: 1216, kind: int}}\n", encoding="utf-8")
    ambiguous = answers(tmp_path, "a.yaml", "language: es\nanswers: {q1: '1,216'}\n")
    code, out, _ = run_cli("check", ambiguous, "--key", str(key), "-f", "json")
    (cell,) = json.loads(out)["students"][0]["cells"]
    assert code == 0 and cell["status"] == "wrong"
    assert "ambiguous" in cell["note"] and "1216" in cell["note"] and "1,216" in cell["note"]


def test_the_invocations_language_reads_answers_whatever_the_format(run_cli, tmp_path):
    # 25.610 in a file that does not say its language: Spanish under --lang es, in JSON too.
    plain = answers(tmp_path, "p.yaml", "answers: {fc: {params: 25.610}}\n")
    for format in ("json", "csv"):
        code, out, _ = run_cli("--lang", "es", "check", plain, "--key", str(KEY), "-f", format)
        assert code == 0 and ("25610" not in out or format == "json")
        if format == "json":
            assert cells(json.loads(out)["students"][0])["fc_params"] == ("right", 2)
        else:
            assert out.splitlines()[1].split(",")[2 + QUESTIONS.index("fc_params")] == "2"


def test_a_folder_with_no_answers_files_is_an_error(run_cli, tmp_path):
    (tmp_path / "notas.txt").write_text("nothing to grade", encoding="utf-8")
    for args in (("--key", str(KEY)), ()):
        code, out, err = run_cli("check", str(tmp_path), *args)
        assert code == 2 and out == "" and "no answers files in" in err, err
