"""`make lock`: compile the two locks from pyproject.toml (and requirements-dev.in) with uv, with hashes.

requirements.txt  what `make serve` installs: the package's dependencies and its audio extra.
requirements-dev.txt  what `make test` installs: the same pins, the redis and aws extras, and the dev tools.

Both are universal: resolved for every Python the package allows (3.11 and newer) and every platform, with
markers where a dependency differs (libcst needs pyyaml-ft on 3.13 only, say), so one lock installs anywhere.
Each lock's first line records a digest of the inputs it was compiled from, so tests/test_packaging.py can tell
when someone changed the dependencies and forgot `make lock`. Pins already in a lock are kept unless the inputs
no longer allow them; pass --upgrade (make lock ARGS=--upgrade) to move everything to the newest allowed.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_INPUT = "requirements-dev.in"
# lock: (the extras it includes, the input files uv reads)
LOCKS = {
    "requirements.txt": (("audio",), ("pyproject.toml",)),
    "requirements-dev.txt": (("audio", "redis", "aws"), ("pyproject.toml", DEV_INPUT)),
}
DIGEST_LINE = "# inputs: sha256={digest} (pyproject.toml's requirements and requirements-dev.in; make lock)"


def dev_requirements(root: Path = ROOT) -> list[str]:
    """requirements-dev.in's requirement lines, without comments, options (-c) or blanks."""
    lines = (line.split("#")[0].strip() for line in (root / DEV_INPUT).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def inputs_digest(root: Path = ROOT) -> str:
    """A digest of everything the locks are compiled from: Python, the dependencies, the extras and the dev tools."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    inputs = {"requires-python": project.get("requires-python"), "dependencies": project.get("dependencies", []),
              "optional-dependencies": project.get("optional-dependencies", {}), "dev": dev_requirements(root),
              "locks": {name: extras for name, (extras, _) in LOCKS.items()}}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def lowest_python(root: Path = ROOT) -> str:
    """The oldest Python pyproject.toml allows, which the universal resolution starts from."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"])
    if not found:
        raise SystemExit(f"requires-python {project['requires-python']!r} should be >=X.Y")
    return found.group(1)


def compile_lock(lock: str, extras: tuple[str, ...], sources: tuple[str, ...], options: list[str]) -> None:
    command = [str(Path(sys.executable).parent / "uv"), "pip", "compile", "--quiet", "--universal",
               "--python-version", lowest_python(), "--generate-hashes", "--custom-compile-command", "make lock",
               "--output-file", lock, *(f"--extra={extra}" for extra in extras), *options, *sources]
    subprocess.run(command, cwd=ROOT, check=True)
    path = ROOT / lock
    text = path.read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# inputs: "))
    path.write_text(DIGEST_LINE.format(digest=inputs_digest()) + "\n" + body, encoding="utf-8")


def main(options: list[str]) -> int:
    for lock, (extras, sources) in LOCKS.items():  # the runtime lock first: the dev lock is constrained by it
        print(f"Compiling {lock} ...", flush=True)
        compile_lock(lock, extras, sources, options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
