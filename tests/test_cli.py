"""The summary command's formats and options, end to end through the CLI."""

from __future__ import annotations

import csv
import io
import json

import cnncalc


def test_json_matches_the_api_and_schema(run_cli):
    code, out, _ = run_cli("summary", "vgg16", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == cnncalc.load("vgg16").summary().to_dict()
    assert data["input"] == [224, 224, 3]
    layer_keys = {"name", "kind", "inputs", "output_shape", "params", "trainable_params", "macs"}
    assert layer_keys <= set(data["layers"][1])
    assert {"params", "trainable_params", "non_trainable_params", "macs", "activations"} <= set(data["totals"])
    assert data["totals"]["params"] == sum(layer["params"] for layer in data["layers"])


def test_layout_chw_prints_pytorch_order(run_cli):
    _, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(10, 5)", "--layout", "chw", "--format", "json")
    data = json.loads(out)
    assert data["input"] == [3, 32, 32]
    assert data["layers"][1]["output_shape"] == [10, 28, 28]


def test_table_markdown_and_csv(run_cli):
    code, out, _ = run_cli("summary", "keras_fashion_mnist")
    assert code == 0 and "1,413,834" in out and "28×28×64" in out
    _, md, _ = run_cli("summary", "keras_fashion_mnist", "--format", "markdown")
    assert "| # | name | kind | output shape | params | MACs |" in md and "1,413,834" in md
    _, text, _ = run_cli("summary", "keras_fashion_mnist", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(int(r["params"]) for r in rows) == 1_413_834


def test_branching_table_shows_inputs(run_cli):
    _, out, _ = run_cli("summary", "inception_3a", "--format", "markdown")
    assert "| inputs |" in out and "b1.act, b2.act, b3.act, b4.act" in out


def test_dtype_changes_memory(run_cli):
    _, out32, _ = run_cli("summary", "vgg16", "--format", "json")
    _, out16, _ = run_cli("summary", "vgg16", "--format", "json", "--dtype", "float16")
    t32, t16 = json.loads(out32)["totals"], json.loads(out16)["totals"]
    assert t32["param_bytes"] == 4 * 138_357_544 and t16["param_bytes"] == 2 * 138_357_544
    code, _, err = run_cli("summary", "vgg16", "--dtype", "float13")
    assert code == 2 and "unknown dtype" in err


def test_version_and_layers(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0 and out.startswith("cnncalc ")
    code, out, _ = run_cli("layers", "--format", "json")
    kinds = {entry["kind"] for entry in json.loads(out)["kinds"]}
    assert {"conv", "conv_transpose", "locally_connected", "lp_pool", "lrn", "concat"} <= kinds


def test_python_m_entry_point():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cnncalc", "summary", "INPUT(7x7x1) → CONV(1, 3, 3)", "-f", "csv"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "2x2x1" in result.stdout  # (7 − 3)/3 + 1 = 2.33 → 2; CSV writes shapes in ASCII


def test_no_color_is_respected():
    import os
    import re
    import subprocess
    import sys

    chain = "INPUT(7x7x1) → CONV(1, k=3, s=3)"
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    colour = re.compile(r"\x1b\[3\dm")
    forced = subprocess.run([sys.executable, "-m", "cnncalc", "lint", chain], env={**base, "FORCE_COLOR": "1"},
                            capture_output=True, text=True)  # fmt: skip
    assert colour.search(forced.stdout)
    plain = subprocess.run([sys.executable, "-m", "cnncalc", "lint", chain],
                           env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"}, capture_output=True, text=True)  # fmt: skip
    assert not colour.search(plain.stdout) and "S001" in plain.stdout


def test_shell_completion_is_offered(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and "--install-completion" in out


def test_out_of_range_numbers_are_bad_input_not_tracebacks(run_cli):
    cases = {
        ("conv", "-x", "1e400 2; 3 4", "-k", "1"): "too large for a float",
        ("pool", "-x", "1 2; 3 4", "-k", "2", "--type", "lp", "--power", "0"): "needs a power p > 0",
        ("export", "lenet5", "--class-name", "class"): "is not a Python identifier",
    }
    for args, message in cases.items():
        code, _, err = run_cli(*args)
        assert code == 2 and message in err, args
    assert run_cli("run", "lenet5", "--seed", "-5")[0] == 2


def test_rf_column_in_every_summary_format(run_cli):
    chain = "INPUT(8x8x3) → CONV(4, 3) → POOL(2)"  # RF 3 then 3 + (2 − 1)·1 = 4, jump 2
    _, table, _ = run_cli("summary", chain, "--rf")
    assert "RF size / jump" in table and "4 / 2" in table
    _, csv_text, _ = run_cli("summary", chain, "--rf", "-f", "csv")
    header, *rows = csv_text.strip().splitlines()
    assert header.endswith("rf_size,rf_jump") and rows[-1].endswith(",4x4,2x2")


def test_help_keeps_bracketed_config_names(run_cli):
    # rich reads [tool.cnncalc] as a markup tag unless escaped: the help must still show it
    _, out, _ = run_cli("lint", "--help")
    assert "[tool.cnncalc]" in out


def test_pool_padding_error_offers_only_what_pool_takes(run_cli):
    code, _, err = run_cli("pool", "-x", "1 2; 3 4", "-k", "2", "--padding", "same")
    assert code == 2 and "hint: use valid, a number P, or PxQ per axis" in err


def test_a_reader_that_leaves_early_is_not_a_finding():
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGPIPE"):
        return
    reader = subprocess.Popen(
        [sys.executable, "-m", "cnncalc", "summary", "INPUT(8x8x3) → [RELU] x 5000"],  # far over a pipe's 64 KiB
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.readline()  # like `| head -1`
    reader.stdout.close()
    _, err = reader.communicate()
    assert reader.returncode == -signal.SIGPIPE and not err  # the shell shows 141, not 1 (findings)


def test_usage_errors_are_json_when_json_was_asked_for():
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cnncalc", *args], capture_output=True, text=True)

    bad = run("summary", "lenet5", "--format", "json", "--bogus")
    assert bad.returncode == 2 and json.loads(bad.stderr) | {"message": ""} == {
        "error": "usage", "message": "", "hint": "see cnncalc COMMAND --help",
        "file": None, "line": None, "column": None, "layer": None, "path": None,
    }  # fmt: skip
    assert "--bogus" in json.loads(bad.stderr)["message"]
    assert json.loads(run("summary", "lenet5", "-f", "json", "--layout", "xyz").stderr)["error"] == "usage"
    good = run("summary", "lenet5", "--format=json")
    assert good.returncode == 0 and json.loads(good.stdout)["totals"]["params"] == 61_706
    assert run("lint", "INPUT(4x4x3) → CONV(8, k=5)", "-f", "json").returncode == 1  # S002: exit codes kept


def test_totals_read_well_for_small_and_huge_numbers(run_cli):
    # 1·1·3² + 1 = 10 parameters; 2·2 positions · 1 · 9 taps = 36 MACs, 72 FLOPs
    _, out, _ = run_cli("summary", "INPUT(4x4x1) → CONV(1, 3)")
    assert "36 (36 MAC, 72 FLOP)" in out and "(10)" not in out
    from cnncalc.render.numbers import binary_bytes

    assert binary_bytes(26_855_469 * 2**20) == "25.61 TiB" and binary_bytes(1536 * 2**30) == "1.50 TiB"
    assert binary_bytes(1000 * 2**30) == "1,000.00 GiB"
