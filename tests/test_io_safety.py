"""Files that are not what they claim: FIFOs, devices, directories, huge or bombed inputs, hostile
configs, numbers past Python's 4,300-digit limit, and writes that cannot or must not happen.

Every case must end in one message and exit 2, quickly: a FIFO that made cnncalc wait would hang
a grader, so each FIFO test has a watchdog that opens the FIFO's other end after a few seconds and
the test then fails on the time it took.
"""

from __future__ import annotations

import errno
import io
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
import pytest

import cnncalc
from cnncalc.errors import LimitError, SpecError
from cnncalc.executor.io import load_array, load_weights

CHAIN = "INPUT(8x8x1) → CONV(2, 3) → RELU"  # conv_1: weight 2×1×3×3 (18 values), bias 2
QUICK = 3.0  # seconds: refusing a file is a stat() away, far below this


@contextmanager
def watchdog(fifo: Path, after: float = 6.0) -> Iterator[None]:
    """Open the writing end of `fifo` after `after` seconds, so a reader that blocks is released."""
    done = threading.Event()

    def release() -> None:
        if not done.wait(after):
            with suppress(OSError):  # ENXIO: nobody was waiting on it
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.fixture
def fifo(tmp_path: Path):
    """mkfifo NAME in the test's folder (never a system path)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")

    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


def refused_quickly(run_cli, fifo_path: Path, *args: str) -> str:
    with watchdog(fifo_path):
        start = time.monotonic()
        code, _, err = run_cli(*args)
        elapsed = time.monotonic() - start
    assert elapsed < QUICK, f"cnncalc waited {elapsed:.1f} s on the FIFO {fifo_path}"
    assert code == 2, err
    assert f"{fifo_path.name} is not a regular file (a FIFO)" in err
    return err


# --- reads: every input refuses what is not a regular file ------------------------------------------


def test_a_fifo_is_refused_at_once_wherever_a_file_is_read(run_cli, fifo, tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text("input: 8x8x1\nlayers: [RELU]\n", encoding="utf-8")
    refused_quickly(run_cli, fifo("spec.yaml"), "summary", str(tmp_path / "spec.yaml"))
    refused_quickly(run_cli, fifo("cfg.toml"), "lint", str(spec), "--config", str(tmp_path / "cfg.toml"))
    refused_quickly(run_cli, fifo("x.npy"), "run", CHAIN, "--data", str(tmp_path / "x.npy"))
    refused_quickly(run_cli, fifo("w.npz"), "run", CHAIN, "--weights", str(tmp_path / "w.npz"))
    refused_quickly(run_cli, fifo("m.csv"), "conv", "-x", str(tmp_path / "m.csv"), "-k", "1 0; 0 1")
    refused_quickly(run_cli, fifo("k.npy"), "conv", "-x", "1 2; 3 4", "-k", str(tmp_path / "k.npy"))
    refused_quickly(run_cli, fifo("answers.yaml"), "check", str(tmp_path / "answers.yaml"))
    refused_quickly(run_cli, fifo("old.json"), "diff", str(tmp_path / "old.json"), str(spec))
    named = fifo("named.yaml")
    answers = tmp_path / "a.yaml"
    answers.write_text(f"spec: {named.name}\nanswers:\n  total: {{params: 0}}\n", encoding="utf-8")
    err = refused_quickly(run_cli, named, "check", str(answers))
    assert "(the spec: of" in err and "a.yaml" in err


def test_the_python_api_refuses_a_fifo_at_once(fifo):
    path = fifo("spec.yaml")
    with watchdog(path):
        start = time.monotonic()
        with pytest.raises(SpecError, match="not a regular file"):
            cnncalc.load(str(path))
        with pytest.raises(SpecError, match="not a regular file"):
            load_array(path)
        assert time.monotonic() - start < QUICK


def test_a_symlink_to_dev_zero_is_refused_not_read(run_cli, tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    for name in ("zero.yaml", "zero.npy", "zero.npz", "zero.toml", "zero.csv"):
        (tmp_path / name).symlink_to("/dev/zero")  # only read through, never written
    start = time.monotonic()
    runs = {
        "zero.yaml": ("summary", str(tmp_path / "zero.yaml")),
        "zero.npy": ("run", CHAIN, "--data", str(tmp_path / "zero.npy")),
        "zero.npz": ("run", CHAIN, "--weights", str(tmp_path / "zero.npz")),
        "zero.toml": ("lint", CHAIN, "--config", str(tmp_path / "zero.toml")),
        "zero.csv": ("conv", "-x", str(tmp_path / "zero.csv"), "-k", "1"),
    }
    for name, args in runs.items():
        code, _, err = run_cli(*args)
        assert code == 2 and f"{name} is not a regular file (a character device)" in err, (name, err)
    assert time.monotonic() - start < 5 * QUICK


def test_a_directory_is_refused_with_its_name(run_cli, tmp_path):
    for name in ("d.npy", "d.npz", "d.toml", "d.csv"):
        (tmp_path / name).mkdir()
    assert (
        "d.npy is a directory, not an input array (.npy)" in run_cli("run", CHAIN, "--data", str(tmp_path / "d.npy"))[2]
    )
    assert "d.npz is a directory, not a weights file" in run_cli("run", CHAIN, "--weights", str(tmp_path / "d.npz"))[2]
    assert "d.toml is a directory, not a config file" in run_cli("lint", CHAIN, "--config", str(tmp_path / "d.toml"))[2]
    assert "d.csv is a directory" in run_cli("conv", "-x", str(tmp_path / "d.csv"), "-k", "1")[2]


def test_files_over_their_kind_s_limit_are_refused_before_reading(run_cli, tmp_path):
    config = tmp_path / "big.toml"
    config.write_text("# padding\n" * (1024 * 1024 // 10 + 1), encoding="utf-8")  # just over 1 MiB
    code, _, err = run_cli("lint", CHAIN, "--config", str(config))
    assert code == 2 and "over the limit of 1048576 for a config file" in err
    matrix = tmp_path / "big.csv"
    matrix.write_text("1 " * 500_001, encoding="utf-8")  # 1,000,002 bytes; worked examples take 1,000,000
    code, _, err = run_cli("conv", "-x", str(matrix), "-k", "1")
    assert code == 2 and "over the limit of 1000000" in err
    array = tmp_path / "x.npy"
    np.save(array, np.zeros((64, 64), dtype=np.float32))  # 16,384 bytes of data plus a 128-byte header
    with pytest.raises(LimitError, match="over the limit of 10000"):
        load_array(array, limit=10_000)


def test_an_npy_header_is_checked_against_the_file_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 1000)})
    path = tmp_path / "liar.npy"
    path.write_bytes(header.getvalue() + bytes(80))  # claims 8 GB, holds 80 bytes
    with pytest.raises(LimitError, match="8,000,000,000 bytes, over the limit"):
        load_array(path)
    with pytest.raises(SpecError, match="but holds only 80"):
        load_array(path, limit=10**12)
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(SpecError, match="holds object values, not numbers"):
        load_array(tmp_path / "objects.npy")
    fortran = np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3))
    np.save(tmp_path / "f.npy", fortran)
    assert load_array(tmp_path / "f.npy").tolist() == [[0, 1, 2], [3, 4, 5]]


def _zip_bomb(path: Path, key: str, megabytes: int) -> None:
    """A real .npz: one float32 member of `megabytes` MiB of zeros, deflated to about 1/250 of it."""
    values = megabytes * 1024 * 1024 // 4
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (values,)})
    zeros = bytes(16 * 1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(f"{key}.npy", "w", force_zip64=True) as member,
    ):
        member.write(header.getvalue())
        for _ in range(megabytes // 16):
            member.write(zeros)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    _zip_bomb(path, "conv_1.weight", 512)
    return path


def test_a_zip_bomb_is_refused_from_its_headers_without_decompressing(run_cli, bomb):
    assert bomb.stat().st_size < 4 * 1024 * 1024  # 512 MiB of data in a few MB
    tracemalloc.start()
    try:
        code, _, err = run_cli("run", CHAIN, "--weights", str(bomb))
        # 512 MiB = 536,870,912 bytes, plus the .npy header, padded to 128 bytes: 536,871,040
        with pytest.raises(LimitError, match="would decompress to 536,871,040 bytes, over the limit of 67,108,864"):
            load_weights(bomb, limit=64 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and "conv_1.weight have shape 134217728, expected 2×1×3×3" in err, err
    assert peak < 32 * 1024 * 1024, f"{peak:,} bytes allocated while refusing a 512 MiB bomb"


def test_weights_of_the_right_shape_still_load(run_cli, tmp_path):
    weights = {"conv_1.weight": np.ones((2, 1, 3, 3), dtype=np.float32), "conv_1.bias": np.zeros(2)}
    np.savez_compressed(tmp_path / "w.npz", **weights)
    loaded = load_weights(tmp_path / "w.npz")
    assert loaded["conv_1"]["weight"].tolist() == weights["conv_1.weight"].tolist()
    np.save(tmp_path / "x.npy", np.ones((8, 8, 1), dtype=np.float32))
    code, _, err = run_cli("run", CHAIN, "--data", str(tmp_path / "x.npy"), "--weights", str(tmp_path / "w.npz"))
    assert code == 0, err
    np.savez(tmp_path / "obj.npz", **{"conv_1.weight": np.array([None, 1], dtype=object)})
    code, _, err = run_cli("run", CHAIN, "--weights", str(tmp_path / "obj.npz"))
    assert code == 2 and "holds object values, not numbers" in err


# --- config files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[tool]\ncnncalc = " + "[" * 2000 + "]" * 2000 + "\n", "the TOML is nested too deeply"),
        (".cnncalc.toml", "tool = 5\n", "'tool' is int 5, not a table"),
        ("pyproject.toml", "[tool]\ncnncalc = [1]\n", "'tool.cnncalc' is list [1], not a table"),
        (".cnncalc.toml", f'max-params = "{"9" * 400}"\n', "has more than 30 digits before the point"),
        (".cnncalc.toml", f"max-depth = {'9' * 400}\n", "max-depth: the number is far too large for a budget"),
        (".cnncalc.toml", f"max-depth = {'9' * 5000}\n", "invalid TOML: Exceeds the limit (4300 digits)"),
        (".cnncalc.toml", "max-macs = [1, 2]\n", "max-macs: '[1, 2]' is not a quantity"),
        (".cnncalc.toml", "strict = 3\n", "strict must be true or false"),
        (".cnncalc.toml", "select = 4\n", "select/ignore take a list of rule codes"),
        (".cnncalc.toml", "severity = 4\n", "severity must map codes"),
        (".cnncalc.toml", b"max-depth = 3 # \xff\n", "is not valid UTF-8 (byte 16: 0xff)"),
    ],
)
def test_a_hostile_config_is_one_error_naming_the_file(run_cli, tmp_path, monkeypatch, name, text, message):
    config = tmp_path / name
    config.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)  # found upwards from the working folder, as a repository's own config is
    code, out, err = run_cli("lint", "INPUT(8x8x3) → CONV(4, 3)")
    assert code == 2, out + err
    assert message in err and name in err, err
    assert err.count("error:") == 1


def test_a_budget_is_read_exactly(tmp_path, run_cli, monkeypatch):
    # CONV(4, 3) on 8x8x3: 3·3·3·4 + 4 = 112 parameters. 0.112k is exactly 112, so not over.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".cnncalc.toml").write_text('max-params = "0.112k"\n', encoding="utf-8")
    assert run_cli("lint", "INPUT(8x8x3) → CONV(4, 3)")[0] == 0
    (tmp_path / ".cnncalc.toml").write_text('max-params = "0.111k"\n', encoding="utf-8")
    assert run_cli("lint", "INPUT(8x8x3) → CONV(4, 3)")[0] == 1


# --- integers past Python's 4,300-digit conversion limit ------------------------------------------

HUGE = "9" * 5000


def test_integers_over_4300_digits_are_spec_errors_with_a_short_quote(run_cli, tmp_path):
    (tmp_path / "s.json").write_text(f'{{"input": [8, {HUGE}], "layers": ["RELU"]}}', encoding="utf-8")
    (tmp_path / "s.yaml").write_text(f"input: {HUGE}x3\nlayers: [RELU]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("params: {n: 3}\ninput: 8x8x3\nlayers: ['CONV(n, 3)']\n", encoding="utf-8")
    (tmp_path / "net.yaml").write_text("input: 8x8x3\nlayers: ['CONV(4, 3)']\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(f'spec: net.yaml\nanswers:\n  total: {{params: "{HUGE}"}}\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text(f"spec: net.yaml\nanswers:\n  conv_1: {{output_shape: {HUGE}x4}}\n", "utf-8")
    runs = [
        ("summary", str(tmp_path / "s.json")),
        ("summary", str(tmp_path / "s.yaml")),
        ("summary", "INPUT(8x8x3) → RELU", "--input", f"{HUGE}x3"),
        ("summary", str(tmp_path / "p.yaml"), "--set", f"n={HUGE}"),
        ("check", str(tmp_path / "a.yaml")),
        ("check", str(tmp_path / "b.yaml")),
    ]
    for args in runs[4:]:  # an answer no number can be is that answer wrong, the rest of the file graded
        code, out, err = run_cli(*args)
        assert (code, err) == (0, "") and "score: 0/1" in out, (args, err)
    for args in runs[:4]:
        code, _, err = run_cli(*args)
        assert code == 2, (args, err)
        assert "'" + "9" * 39 + "…" in err and "9" * 41 not in err, (args, err)  # shown.quote: 40 characters
        assert len(err) < 400, (args, err)
    assert "s.json:1:15" in run_cli(*runs[0])[2]  # `{"input": [8, ` is 14 characters; the number starts at 15


# --- writes -------------------------------------------------------------------------------------

WRITE = ("convert", "INPUT(8x8x3) → CONV(4, 3)", "--to", "json", "-o")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".cnncalc-"))


def test_force_never_replaces_a_fifo_a_device_or_a_symlink(run_cli, fifo, tmp_path):
    targets = {"pipe": fifo("pipe"), "link": tmp_path / "link"}
    (tmp_path / "real.json").write_text("keep me", encoding="utf-8")
    targets["link"].symlink_to(tmp_path / "real.json")
    if os.geteuid() == 0:  # a device node of our own in the test's folder (1, 3 is the null device)
        with suppress(PermissionError):
            os.mknod(tmp_path / "device", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
            targets["device"] = tmp_path / "device"
    kinds = {"pipe": "a FIFO", "link": "a symbolic link", "device": "a character device"}
    for name, path in targets.items():
        code, _, err = run_cli(*WRITE, str(path), "--force")
        assert code == 2 and f"{name} is {kinds[name]}, not a regular file" in err, err
        assert not stat.S_ISREG(os.lstat(path).st_mode)  # still what it was
    assert (tmp_path / "real.json").read_text(encoding="utf-8") == "keep me"
    assert leftovers(tmp_path) == []


def test_write_errors_are_one_message_and_exit_2(run_cli, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = run_cli(*WRITE, str(tmp_path / "file" / "sub.json"))
    assert code == 2 and "Not a directory" in err and "a part of the path is a file" in err
    code, _, err = run_cli(*WRITE, str(tmp_path / ("n" * 251 + ".json")))  # 256 bytes: over NAME_MAX
    assert code == 2 and "File name too long" in err
    code, _, err = run_cli(*WRITE, str(tmp_path / ("n" * 250 + ".json")))  # 255 bytes: fits, temp name too
    assert code == 0, err
    code, _, err = run_cli(*WRITE, str(tmp_path / "missing" / "x.json"))
    assert code == 2 and "does not exist" in err

    def full(handle: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full)
        code, _, err = run_cli(*WRITE, str(tmp_path / "full.json"))
    assert code == 2 and "No space left on device" in err and "the disk is full" in err
    assert not (tmp_path / "full.json").exists() and leftovers(tmp_path) == []
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_message(run_cli, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run_cli(*WRITE, str(folder / "x.json"))
    finally:
        folder.chmod(0o755)
    assert code == 2 and "Permission denied" in err and "not writable" in err


def race(target: Path, writers: int) -> list[str]:
    """`writers` threads write `target` (new, without force) at once: what each wrote, or its error."""
    from cnncalc.output import write_atomic

    barrier = threading.Barrier(writers)
    outcomes: list[str] = []

    def write(index: int) -> None:
        payload = f"writer {index}\n" * 10_000
        barrier.wait()
        try:
            write_atomic(target, payload)
            outcomes.append(payload)
        except SpecError as error:
            outcomes.append(f"error: {error.message}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_of_concurrent_writers_of_a_new_file_exactly_one_wins(tmp_path):
    for round_ in range(25):
        target = tmp_path / f"out{round_}.txt"
        outcomes = race(target, 8)
        winners = [o for o in outcomes if not o.startswith("error: ")]
        assert len(outcomes) == 8 and len(winners) == 1, f"round {round_}: {len(winners)} writers won"
        assert all("exists" in o for o in outcomes if o.startswith("error: ")), outcomes
        assert target.read_text(encoding="utf-8") == winners[0]  # whole, and the winner's
    assert leftovers(tmp_path) == []


CHILD = """
import os, sys, time
from pathlib import Path
import cnncalc.output as output

real = os.write
def slow(handle, data):
    print("writing", flush=True)
    time.sleep(30)  # the parent's signal arrives here, halfway through the write
    return real(handle, data)
os.write = slow
output.write_atomic(Path(sys.argv[1]), "data")
"""


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_mid_write_leaves_no_temporary_file_except_sigkill(tmp_path, number):
    target = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    assert len(leftovers(tmp_path)) == 1  # the temporary file exists while the write runs
    child.send_signal(number)
    assert child.wait(timeout=20) == -number  # it still dies of the signal it was sent
    assert not target.exists()
    if number == signal.SIGKILL:  # nothing runs on SIGKILL: the leftover has a recognisable name
        assert [re.fullmatch(r"\.cnncalc-\w{8}\.tmp", n) is not None for n in leftovers(tmp_path)] == [True]
    else:
        assert leftovers(tmp_path) == []


def test_signal_handlers_are_restored_after_a_write(tmp_path):
    from cnncalc.output import write_atomic

    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    write_atomic(tmp_path / "x.txt", "x")
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


# --- standard output ----------------------------------------------------------------------------


def cnncalc_process(*args: str, **streams: object) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.Popen([sys.executable, "-m", "cnncalc", *args], env=env, stderr=subprocess.PIPE, **streams)


def test_a_closed_stdout_is_exit_2_with_a_message_not_a_silent_success():
    child = cnncalc_process("summary", "vgg16", stdout=subprocess.DEVNULL)
    child.wait(timeout=60)  # the control: with stdout open it succeeds
    assert child.returncode == 0
    closed = cnncalc_process("summary", "vgg16", preexec_fn=lambda: os.close(1))  # cnncalc … >&-
    _, err = closed.communicate(timeout=60)
    assert closed.returncode == 2, err
    assert err.decode().startswith("error: cannot write the output to standard output: standard output is closed")
    assert b"Traceback" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("format", ["table", "json"])
def test_a_full_stdout_is_exit_2_with_a_message(format):
    with open("/dev/full", "w") as full:  # only written to, as `> /dev/full` does: it is not replaced
        child = cnncalc_process("summary", "vgg16", "--format", format, stdout=full)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 2, err
    assert "cannot write the output to standard output: No space left on device" in err.decode()
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_a_reader_that_leaves_ends_cnncalc_quietly_by_sigpipe():
    child = cnncalc_process("summary", "resnet152", "-f", "json", stdout=subprocess.PIPE)  # 170 KB > a pipe's 64
    assert child.stdout is not None
    assert child.stdout.readline() == b"{\n"
    child.stdout.close()  # as `| head -1` does after its line
    _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGPIPE, err  # the shell shows 141, as for `yes | head -1`
    assert err == b""


def test_the_robustness_doc_names_only_tests_that_exist():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "robustness.md").read_text(encoding="utf-8")
    section = doc.split("## Files, devices and streams", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    assert len(named) >= 15
    assert named <= {name for name in globals() if name.startswith("test_")}, named - set(globals())
