from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assert_one_message(run_cli, path: Path, *fragments: str) -> None:
    """`summary PATH` ends with exit 2 and one message (and hint) that starts with the file and holds each fragment."""
    code, out, err = run_cli("summary", str(path))  # catch_exceptions=False: any other exception fails here
    assert code == 2, out
    assert "Traceback" not in err and err.count("\n") <= 2, err
    assert err.startswith(f"error: {path}"), err
    assert all(fragment in err for fragment in fragments), err
