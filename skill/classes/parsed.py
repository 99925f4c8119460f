"""The class files' parsed values, kept between starts: PyYAML is imported and run only when a file has changed.

Importing PyYAML and parsing the classes and the pose catalog took about a fifth of create_app's own work at every
start (~20 ms), the same each time. create_app keeps each file's values in GENTLE_YOGA_DATA_DIR/cache/yaml, one
entry per file, in marshal format, with the SHA-256 of the text they came from and PyYAML's version. An entry
whose stamp differs (another Python is another stamp), or that is damaged or missing, is parsed by PyYAML again,
exactly as without this, and kept afresh; an entry that cannot be written, or values marshal cannot hold (a YAML
date), are simply not kept. The entries hold plain values that marshal reads back (never code that runs), in the
folder that holds the store and its secret, and every value is checked by the loader as if it had just been parsed.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

# marshal's format may differ between Python versions, so the version is part of every stamp
FORMAT = f"gentle-yoga parsed yaml 1, marshal {marshal.version}, Python {sys.version_info[0]}.{sys.version_info[1]}"


@functools.cache
def _yaml_version() -> str:
    """The installed PyYAML's version (a new one may read a file differently), without importing it."""
    try:
        return metadata.version("PyYAML")
    except metadata.PackageNotFoundError:
        return "unknown"


def entry(folder: Path, path: Path) -> Path:
    """Where the values of the file at path are kept: one entry per file, named after it and its full path."""
    full = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:24]
    return folder / f"{path.stem}-{full}.marshal"


def parsed(path: Path, text: str, folder: Path, parse: Callable[[str], Any]) -> Any:
    """parse(text), the file at path's values: from its entry in folder when that was made from this very text."""
    stamp = (FORMAT, _yaml_version(), hashlib.sha256(text.encode("utf-8")).hexdigest())
    where = entry(folder, path)
    try:
        kept = marshal.loads(where.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):  # none yet, or damaged
        kept = None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
        return kept[1]
    value = parse(text)  # raises for text that is not valid YAML: nothing is kept
    _keep(where, (stamp, value))
    return value


def _keep(where: Path, kept: tuple[Any, Any]) -> None:
    """Write the entry whole (a worker starting beside this one reads the old entry or the new, never half)."""
    try:
        data = marshal.dumps(kept)
    except ValueError:  # a value marshal cannot hold: this file is parsed at every start, as before
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.")
    except OSError:  # a read-only data dir: nothing is kept
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, where)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
