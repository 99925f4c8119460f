"""The code stays clean: ruff, with the rules in ruff.toml, finds nothing."""
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
