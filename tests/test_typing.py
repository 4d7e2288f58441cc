"""The package type-checks: mypy (configured in pyproject.toml) finds no error in dgs_kg/.

It caught a real bug (a named tuple mutated in ``resolve.describe``); keeping it green keeps the
type hints honest documentation.
"""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_mypy_finds_no_error() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "Success: no issues found" in done.stdout
