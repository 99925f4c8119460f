"""The practice core stays pure: no web framework, Alexa SDK, database, YAML or clock inside it."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from skill.config import ROOT

CORE = ROOT / "skill" / "practice"
FORBIDDEN = {"flask", "ask_sdk_core", "ask_sdk_model", "ask_sdk", "sqlite3", "redis", "yaml", "boto3", "requests",
             "socket", "time", "datetime", "os", "random", "subprocess", "threading"}


def imported_roots(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


class TestPureCore:
    @pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
    def test_no_forbidden_import_in_the_source(self, path):
        """No module of the core names I/O, frameworks or the clock in an import."""
        assert not imported_roots(path) & FORBIDDEN

    def test_importing_the_core_loads_none_of_them(self):
        """Loading every core module, in a clean interpreter, pulls in no forbidden module by any route."""
        modules = ", ".join(f"skill.practice.{p.stem}" for p in sorted(CORE.glob("*.py")) if p.stem != "__init__")
        code = (f"import sys, importlib\nfor m in '{modules}'.split(', '): importlib.import_module(m)\n"
                "print(' '.join(sorted(m for m in sys.modules)))")
        loaded = set(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                    check=True).stdout.split())
        for name in ("flask", "ask_sdk_core", "sqlite3", "redis", "yaml", "boto3"):
            assert name not in loaded, name

    def test_the_check_itself_can_fail(self, tmp_path):
        """A module that imports yaml is caught: the scan is not vacuous."""
        sample = tmp_path / "sample.py"
        sample.write_text("import yaml\nfrom sqlite3 import connect\n", encoding="utf-8")
        assert imported_roots(sample) & FORBIDDEN == {"yaml", "sqlite3"}
