"""The code stays clean: ruff (the rules in ruff.toml) and mypy (the settings in pyproject.toml) find nothing."""
from __future__ import annotations

import subprocess
import sys

import pytest

from skill.config import ROOT

pytestmark = pytest.mark.slow


def test_ruff_finds_nothing():
    """Every module and test passes the project's lint rules."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "skill", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_catch_a_problem(tmp_path):
    """The check is not vacuous: an unused import in a file is reported."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "ruff.toml"), str(sample)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "F401" in result.stdout


def test_mypy_finds_nothing():
    """The types check, with pyproject.toml's settings: strict on skill/practice, mypy's defaults on the rest of
    skill/, tests/ and benchmarks/."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_mypy_is_strict_on_the_core_only(tmp_path):
    """The strict flags reach skill.practice and nothing else: the same untyped function is an error in the core
    and passes in a module at the edge."""
    untyped = "def double(x):\n    return x * 2\n"
    for package in ("practice", "web"):
        (tmp_path / "skill" / package).mkdir(parents=True)
        (tmp_path / "skill" / package / "__init__.py").write_text("", encoding="utf-8")
        (tmp_path / "skill" / package / "sample.py").write_text(untyped, encoding="utf-8")
    (tmp_path / "skill" / "__init__.py").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                             "--cache-dir", str(tmp_path / "cache"), "skill"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert "skill/practice/sample.py:1: error: Function is missing a type annotation" in result.stdout
    assert "skill/web/sample.py" not in result.stdout
