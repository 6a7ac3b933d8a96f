"""The code follows our style: ruff-clean under the repository's ruff.toml, and type-checked by mypy under mypy.ini."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..")


def test_the_code_is_ruff_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_type_checks():
    """mypy (pinned in requirements.txt) under the repository's mypy.ini finds no error."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--config-file", "mypy.ini"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=600,
    )

    assert result.returncode == 0, result.stdout + result.stderr
