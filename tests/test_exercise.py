"""`cnncalc exercise`: seeded sheets whose every answer is checked here against hand arithmetic,
round trips through `cnncalc check --key`, and LaTeX that compiles."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

import cnncalc
from cnncalc.executor.exercise import Exercise, sheet

SEEDS = (0, 1, 7, 2026)


def numbers(text: str) -> dict[str, int]:
    """'W = 32, F = 5, S = 1, P = 0' → {'W': 32, 'F': 5, 'S': 1, 'P': 0}"""
    return {name: int(value) for name, value in re.findall(r"\b([WFSP]) = (\d+)", text)}


def matrix(exercise: Exercise, name: str) -> list[list[int]]:
    return [[int(v) for v in row] for row in dict(exercise.matrices)[name]]


def correlate(x: list[list[int]], w: list[list[int]], stride: int = 1) -> list[list[int]]:
    """Cross-correlation by the definition: out[i][j] = Σ x[i·s + u][j·s + v]·w[u][v]."""
    k, n = len(w), len(x)
    size = (n - k) // stride + 1
    return [[sum(x[i * stride + u][j * stride + v] * w[u][v] for u in range(k) for v in range(k))
             for j in range(size)] for i in range(size)]  # fmt: skip


def as_rows(text: str) -> list[list[Fraction]]:
    return [[Fraction(v) for v in row.split()] for row in text.split(";")]


def by_title(level: int, seed: int) -> dict[str, Exercise]:
    return {e.title: e for e in sheet(seed, level, cnncalc.load).exercises}


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_answer_is_the_hand_arithmetic(level, seed):
    exercises = by_title(level, seed)
    for problem in exercises["Output size"].problems:  # D = ⌊(W − F + 2P)/S⌋ + 1
        n = numbers(problem.text)
        assert problem.answer == (n["W"] - n["F"] + 2 * n["P"]) // n["S"] + 1, problem
    fit = exercises["Stride fit"]
    n = numbers(fit.statement)
    fits, size = (n["W"] - n["F"] + 2 * n["P"]) % n["S"] == 0, (n["W"] - n["F"] + 2 * n["P"]) // n["S"] + 1
    assert [p.answer for p in fit.problems] == ["yes" if fits else "no", size]
    n = numbers(exercises["Padding to keep the size"].statement)  # W − F + 2P + 1 = W → P = (F − 1)/2
    assert exercises["Padding to keep the size"].problems[0].answer == (n["F"] - 1) // 2
    conv = exercises["Convolution by hand"]
    stride = int(re.search(r"stride (\d)", conv.statement).group(1))
    assert as_rows(conv.problems[0].answer) == correlate(matrix(conv, "x"), matrix(conv, "w"), stride)
    _check_pooling(exercises["Pooling by hand"])
    _check_fc(exercises["Fully connected as a convolution"])
    _check_design(exercises["Design comparison"], level)


def _check_pooling(exercise: Exercise) -> None:
    x = matrix(exercise, "x")
    k, stride = (int(v) for v in re.search(r"(\d)×\d window and stride (\d)", exercise.statement).groups())
    size = (len(x) - k) // stride + 1
    windows = [[[x[i * stride + u][j * stride + v] for u in range(k) for v in range(k)] for j in range(size)]
               for i in range(size)]  # fmt: skip
    reduce = max if exercise.statement.startswith("Max") else (lambda w: Fraction(sum(w), len(w)))
    assert as_rows(exercise.problems[0].answer) == [[reduce(w) for w in row] for row in windows]


def _check_fc(exercise: Exercise) -> None:
    side, _, channels, units = map(
        int, re.search(r"A (\d+)×(\d+)×(\d+) volume .* of (\d+) units", exercise.statement).groups()
    )
    # A filter per unit, as large as the map: F = side, `units` filters, side²·C·units + units parameters.
    assert [p.answer for p in exercise.problems] == [side, units, side * side * channels * units + units]


def _check_design(exercise: Exercise, level: int) -> None:
    C = int(re.search(r"; (\d+) channels", exercise.statement).group(1))
    big, small, count = (7, 3, 3) if level == 3 else (5, 3, 2)
    a, b, same = exercise.problems
    assert (a.answer, b.answer) == (big * big * C * C, count * small * small * C * C)
    assert same.answer == "yes"  # n stacked 3×3 see 1 + 2n: 5 for two, 7 for three


def test_backpropagation_by_hand():
    # Level 1: max pooling routes G to each window's maximum (values are distinct).
    pooled = by_title(1, 7)["Backpropagation through pooling"]
    x, g = matrix(pooled, "x"), matrix(pooled, "G")
    expected = [[0] * 4 for _ in range(4)]
    for i in range(2):
        for j in range(2):
            window = [(x[2 * i + u][2 * j + v], 2 * i + u, 2 * j + v) for u in range(2) for v in range(2)]
            _, r, c = max(window)
            expected[r][c] = g[i][j]
    assert as_rows(pooled.problems[0].answer) == expected
    # Level 3: dL/dw = x ⋆ G, dL/dx = G padded by 1 ⋆ w flipped (the 'full' convolution).
    conv = by_title(3, 7)["Backpropagation through a convolution"]
    x, w, g = matrix(conv, "x"), matrix(conv, "w"), matrix(conv, "G")
    assert as_rows(conv.problems[0].answer) == correlate(x, g)
    padded = [[0] * 4] + [[0, *row, 0] for row in g] + [[0] * 4]
    flipped = [row[::-1] for row in w[::-1]]
    assert as_rows(conv.problems[1].answer) == correlate(padded, flipped)


def test_network_answers_are_the_hand_arithmetic():
    # Seed 3, level 2: INPUT(16x16x1) → CONV(6, 5, p=2) → RELU → POOL(2) → CONV(8, 3) → … → FC(10)
    net = by_title(2, 3)["Parameters and MACs of a network"]
    assert "INPUT(16x16x1) → CONV(6, 5, p=2) → RELU → POOL(2) → CONV(8, 3)" in net.statement
    conv1 = 1 * 6 * 25 + 6  # Ci·Co·K² + Co
    macs = 16 * 16 * 6 * 1 * 25  # positions·Co·Ci·K²
    conv2 = 6 * 8 * 9 + 8  # on the 8×8×6 pooled map: 6·8·3² + 8, output 6×6×8
    fc = 6 * 6 * 8 * 10 + 10
    assert [p.answer for p in net.problems] == [conv1, macs, "6x6x8", conv1 + conv2 + fc]


def test_the_same_seed_gives_the_same_sheet(run_cli):
    first = run_cli("exercise", "--seed", "5", "--level", "2", "-f", "key")[1]
    assert first == run_cli("exercise", "--seed", "5", "--level", "2", "-f", "key")[1]
    assert first != run_cli("exercise", "--seed", "6", "--level", "2", "-f", "key")[1]
    code, _, err = run_cli("exercise", "--level", "4")
    assert code == 2 and "4" in err


def write(run_cli, tmp_path: Path, seed: int, level: int) -> tuple[Path, Path]:
    key, answers = tmp_path / f"key{seed}-{level}.yaml", tmp_path / f"full{seed}-{level}.yaml"
    assert run_cli("exercise", "--seed", str(seed), "--level", str(level), "-f", "key", "-o", str(key))[0] == 0
    assert run_cli("exercise", "--seed", str(seed), "--level", str(level), "-f", "answers", "-o", str(answers))[0] == 0
    return key, answers


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_answers_file_scores_full_marks_and_slips_cost_exactly(run_cli, tmp_path, level):
    key, answers = write(run_cli, tmp_path, 4, level)
    code, out, _ = run_cli("check", str(answers), "--key", str(key), "-f", "json")
    (row,) = json.loads(out)["students"]
    assert code == 0 and row["points"] == row["max_points"] and {c["status"] for c in row["cells"]} == {"right"}
    # Perturbed: 1a one more (1 point), 6a (the convolution, 2 points) blank, 9b doubled (1 point).
    document = yaml.safe_load(answers.read_text(encoding="utf-8"))
    document["answers"]["1a"] += 1
    del document["answers"]["6a"]
    document["answers"]["9b"] *= 2
    answers.write_text(yaml.safe_dump(document), encoding="utf-8")
    (row,) = json.loads(run_cli("check", str(answers), "--key", str(key), "-f", "json")[1])["students"]
    assert row["points"] == row["max_points"] - 4
    wrong = {c["question"]: c["status"] for c in row["cells"] if c["status"] != "right"}
    assert wrong == {"1a": "wrong", "6a": "blank", "9b": "wrong"}


@pytest.mark.parametrize("seed", [7, 8])
def test_a_key_made_in_spanish_grades_in_spanish(run_cli, tmp_path, seed):
    """Level 2 has decimal matrices (83.75): the key and answers say they are written in English
    notation, so a Spanish grader does not read 83.75 as ambiguous."""
    key, answers = tmp_path / "clave.yaml", tmp_path / "perfecto.yaml"
    for kind, path in (("key", key), ("answers", answers)):
        assert (
            run_cli("--lang", "es", "exercise", "--seed", str(seed), "--level", "2", "-f", kind, "-o", str(path))[0]
            == 0
        )
    code, out, err = run_cli("--lang", "es", "check", str(answers), "--key", str(key), "-f", "json")
    (row,) = json.loads(out)["students"]
    assert code == 0 and row["points"] == row["max_points"], err


def test_output_files_are_never_overwritten_without_force(run_cli, tmp_path):
    target = tmp_path / "sheet.md"
    assert run_cli("exercise", "-o", str(target))[0] == 0
    code, _, err = run_cli("exercise", "-o", str(target))
    assert code == 2 and "exists" in err
    assert run_cli("exercise", "-o", str(target), "--force", "--seed", "2")[0] == 0


def test_markdown_has_every_question_and_the_solutions(run_cli):
    code, out, _ = run_cli("exercise", "--seed", "1", "--level", "3", "--solutions")
    assert code == 0 and out.startswith("# Exercises (seed 1, level 3)")
    for problem in sheet(1, 3, cnncalc.load).problems:
        assert f"**{problem.id}**" in out
    assert out.count("## ") == 10 + 1  # ten families and the solutions


def test_latex_is_escaped_and_compiles(run_cli, tmp_path):
    code, out, _ = run_cli("exercise", "--seed", "9", "--level", "3", "--solutions", "-f", "latex")
    assert code == 0
    assert out.startswith(r"\documentclass") and out.rstrip().endswith(r"\end{document}")
    assert out.count(r"\begin{itemize}") == out.count(r"\end{itemize}") == 10
    assert "INPUT(" in out and "_" not in out.replace(r"\_", "")  # layer names like conv\_1 escaped
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: the structure is checked, not the compilation")
    spanish = run_cli("--lang", "es", "exercise", "--seed", "9", "--level", "3", "--solutions", "-f", "latex")[1]
    assert "Retropropagación" in spanish  # ¿, ñ and accents as well as ×, →, ⌊ and ⋆
    for name, text in (("sheet", out), ("hoja", spanish)):
        (tmp_path / f"{name}.tex").write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-2000:]
        assert (tmp_path / f"{name}.pdf").stat().st_size > 1000


# -- A class of thirty: the Done-when of issue 23 ------------------------------------------------
# The sheet of one seed; its right answers by hand arithmetic from the statements; thirty students
# whose every answer is decided here (right, blank, a slip, PyTorch order), half of them writing
# Spanish (idioma: es, respuestas:, 1.216 and 83,75). Every cell of the gradebook check prints is
# compared with what that decision implies.

CLASS_SEED, CLASS_LEVEL, STUDENTS = 2026, 2, 30


def hand_answers(exercises: dict[str, Exercise]) -> dict[str, object]:
    """Every question's right answer, by the formulas of the notes, from the numbers in the statements."""
    right: dict[str, object] = {}
    for problem in exercises["Output size"].problems:
        n = numbers(problem.text)
        right[problem.id] = (n["W"] - n["F"] + 2 * n["P"]) // n["S"] + 1
    fit = exercises["Stride fit"]
    n = numbers(fit.statement)
    span = n["W"] - n["F"] + 2 * n["P"]
    right.update(
        zip([p.id for p in fit.problems], ["yes" if span % n["S"] == 0 else "no", span // n["S"] + 1], strict=True)
    )
    n = numbers(exercises["Padding to keep the size"].statement)
    right[exercises["Padding to keep the size"].problems[0].id] = (n["F"] - 1) // 2
    right.update(_network_by_hand(exercises["Parameters and MACs of a network"]))
    right.update(_field_by_hand(exercises["Receptive field"]))
    conv = exercises["Convolution by hand"]
    right[conv.problems[0].id] = correlate(matrix(conv, "x"), matrix(conv, "w"))  # stride 1 at level 2
    right[exercises["Pooling by hand"].problems[0].id] = _average_pool(matrix(exercises["Pooling by hand"], "x"))
    back = exercises["Backpropagation through a convolution"]
    right[back.problems[0].id] = correlate(matrix(back, "x"), matrix(back, "G"))  # dL/dw = x ⋆ G
    fc = exercises["Fully connected as a convolution"]
    side, _, channels, units = map(int, re.search(r"A (\d+)×(\d+)×(\d+) .* of (\d+) units", fc.statement).groups())
    right.update(zip([p.id for p in fc.problems], [side, units, side * side * channels * units + units], strict=True))
    design = exercises["Design comparison"]
    C = int(re.search(r"; (\d+) channels", design.statement).group(1))
    right.update(
        zip([p.id for p in design.problems], [25 * C * C, 2 * 9 * C * C, "yes"], strict=True)
    )  # 5×5 vs two 3×3
    return right


def _network_by_hand(exercise: Exercise) -> dict[str, object]:
    chain = r"INPUT\((\d+)x\d+x(\d+)\) → CONV\((\d+), (\d+), p=\d+\) → RELU → POOL\(2\) → CONV\((\d+), (\d+)\) → RELU → FLATTEN → FC\((\d+)\)"
    H, C, f1, k1, f2, k2, n = map(int, re.search(chain, exercise.statement).groups())
    conv1 = C * f1 * k1 * k1 + f1  # Ci·Co·K² + Co
    macs = H * H * f1 * C * k1 * k1  # positions·Co·Ci·K²; padding k1//2 keeps H×H
    side = H // 2 - k2 + 1  # pooled to H/2, then a valid k2×k2 convolution
    conv2 = f1 * f2 * k2 * k2 + f2
    fc = side * side * f2 * n + n
    ids = [p.id for p in exercise.problems]
    return dict(zip(ids, [conv1, macs, (side, side, f2), conv1 + conv2 + fc], strict=True))


def _field_by_hand(exercise: Exercise) -> dict[str, object]:
    r, j = 1, 1  # each layer: r += (k − 1)·j, then j *= s
    for layer in exercise.statement.rstrip(".").split(" → ")[1:]:
        pooled = re.fullmatch(r"POOL\(2\)", layer)
        k, s = (2, 2) if pooled else (int(re.search(r", (\d+)", layer).group(1)), 2 if "s=2" in layer else 1)
        r, j = r + (k - 1) * j, j * s
    return {exercise.problems[0].id: (r, r)}


def _average_pool(x: list[list[int]]) -> list[list[Fraction]]:
    return [[Fraction(x[i][j] + x[i][j + 1] + x[i + 1][j] + x[i + 1][j + 1], 4) for j in (0, 2)] for i in (0, 2)]


def written(value: object, spanish: bool) -> object:
    """An answer as a student writes it: 1.216, 83,75 and (16, 16, 32) in Spanish; 1,216 in English."""
    if isinstance(value, str):
        return ("sí" if value == "yes" else value) if spanish else value
    if isinstance(value, tuple):
        return "(" + ", ".join(map(str, value)) + ")" if spanish else "x".join(map(str, value))
    if isinstance(value, list):
        return "; ".join(" ".join(_number(v, spanish) for v in row) for row in value)
    return _number(value, spanish)


def _number(value: object, spanish: bool) -> str:
    fraction = Fraction(value)
    if fraction.denominator != 1:
        text = str(float(fraction))  # quarters: exact in binary and in decimal
        return text.replace(".", ",") if spanish else text
    return f"{fraction.numerator:,}".replace(",", "." if spanish else ",")


def slipped(value: object) -> object:
    """A slip: one more (the first cell of a matrix, the first axis of a shape), or the other choice."""
    if isinstance(value, str):
        return "no" if value == "yes" else "yes"
    if isinstance(value, tuple):
        return (value[0] + 1, *value[1:])
    if isinstance(value, list):
        return [[value[0][0] + 1, *value[0][1:]], *value[1:]]
    return value + 1


def decide(rng, value: object) -> str:
    """What a student does with one question: mostly right, else blank, a slip or PyTorch's order."""
    choice = rng.choice(("right", "right", "right", "blank", "slip", "pytorch"))
    if choice == "pytorch" and not (isinstance(value, tuple) and len(value) == 3):
        return "right"  # only an output shape has a channels-first order
    return choice


def _decisions(right: dict[str, object], questions: list) -> list[list[str]]:
    """Every student's decisions, drawn again as student_file draws them."""
    draws = []
    for index in range(STUDENTS):
        rng = __import__("random").Random(index)
        draws.append([decide(rng, right[p.id]) for p in questions])
    return draws


def student_file(index: int, right: dict[str, object], questions: list) -> tuple[str, dict[str, tuple[str, int]]]:
    """Student `index`'s answers file and the cell each answer should get: (status, points)."""
    rng = __import__("random").Random(index)
    spanish = index % 2 == 1
    lines = [f"{'estudiante' if spanish else 'student'}: s{index:02d}", *(["idioma: es"] if spanish else [])]
    lines.append("respuestas:" if spanish else "answers:")
    expected = {}
    for problem in questions:
        value = right[problem.id]
        choice = decide(rng, value)
        if choice == "blank":
            expected[problem.id] = ("blank", 0)
            continue
        shown = slipped(value) if choice == "slip" else (value[-1:] + value[:-1] if choice == "pytorch" else value)
        text = json.dumps(written(shown, spanish), ensure_ascii=False)
        bare = re.fullmatch(r'"([\d.,]+)"', text)  # 48.972 unquoted too: the file keeps the digits
        lines.append(f"  {problem.id!r}: {bare.group(1) if bare else text}")
        expected[problem.id] = ("wrong", 0) if choice == "slip" else ("right", problem.points)
    return "\n".join(lines) + "\n", expected


def test_a_class_of_thirty_into_a_gradebook_every_cell_checked(run_cli, tmp_path):
    exercises = by_title(CLASS_LEVEL, CLASS_SEED)
    questions = [p for e in exercises.values() for p in e.problems]
    right = hand_answers(exercises)
    assert set(right) == {p.id for p in questions}
    key = tmp_path / "key.yaml"
    assert (
        run_cli("exercise", "--seed", str(CLASS_SEED), "--level", str(CLASS_LEVEL), "-f", "key", "-o", str(key))[0] == 0
    )
    folder = tmp_path / "class"
    folder.mkdir()
    expected = {}
    for index in range(STUDENTS):
        text, expected[f"s{index:02d}"] = student_file(index, right, questions)
        (folder / f"s{index:02d}.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", str(folder), "--key", str(key), "-f", "json")
    book = json.loads(out)
    assert code == 0 and not book["errors"], err
    assert [q["id"] for q in book["questions"]] == [p.id for p in questions]
    assert len(book["students"]) == STUDENTS
    statuses = set()
    for row in book["students"]:
        got = {c["question"]: (c["status"], c["points"]) for c in row["cells"]}
        assert got == expected[row["id"]], (
            row["id"],
            {q: (got[q], e) for q, e in expected[row["id"]].items() if got[q] != e},
        )
        assert row["points"] == sum(points for _, points in expected[row["id"]].values())
        statuses |= {status for status, _ in got.values()}
    assert statuses == {"right", "wrong", "blank"}
    notes = [c["note"] or "" for row in book["students"] for c in row["cells"]]
    assert sum("channels first" in note for note in notes) == sum(
        "pytorch" in decisions for decisions in _decisions(right, questions)
    )  # every PyTorch-order answer was right with the note, and no other
    # The same gradebook as CSV: a row per student, each question's points (empty when blank).
    code, out, _ = run_cli("check", str(folder), "--key", str(key), "-f", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["student", "file", *(p.id for p in questions), "points", "max_points"]
    for row in rows[1:]:
        cells = expected[row[0]]
        assert row[2:-2] == ["" if cells[p.id][0] == "blank" else str(cells[p.id][1]) for p in questions]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_json_sheet_holds_every_answer_in_english(run_cli, lang):
    code, out, err = run_cli("--lang", lang, "exercise", "--seed", "1", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["schema"] == "cnncalc.exercise/1" and (document["seed"], document["level"]) == (1, 1)
    first = document["exercises"][0]
    assert first["title"] == "Output size"  # machines read English, whatever the console speaks
    for question in first["questions"]:  # D = ⌊(W − F + 2P)/S⌋ + 1, worked here from the question's own numbers
        n = numbers(question["text"])
        assert question["answer"] == (n["W"] - n["F"] + 2 * n["P"]) // n["S"] + 1
    questions = [q for e in document["exercises"] for q in e["questions"]]
    assert all((q["kind"] == "int") == isinstance(q["answer"], int) for q in questions)  # a 43x43 field is a shape
    key = yaml.safe_load(run_cli("exercise", "--seed", "1", "--format", "answers")[1])["answers"]
    assert {q["id"]: q["answer"] for e in document["exercises"] for q in e["questions"]} == key
