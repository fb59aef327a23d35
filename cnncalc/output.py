"""Writing result files safely: never over an existing file without force, always atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cnncalc.errors import SpecError


def check_writable(path: Path, force: bool) -> None:
    if path.is_dir():
        raise SpecError(f"{path} is a directory", hint="give a file name")
    if path.exists() and not force:
        raise SpecError(f"{path} exists", hint="pass --force to overwrite it")
    if not path.parent.exists():
        raise SpecError(f"folder {path.parent} does not exist")


def write_atomic(path: Path, data: bytes | str, force: bool = False) -> None:
    """Write to a temporary file in the same folder, then rename it over `path`."""
    check_writable(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, _file_mode(path))  # mkstemp makes files private (0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode an ordinary new file would get (0666 less the umask), or the replaced file's."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
