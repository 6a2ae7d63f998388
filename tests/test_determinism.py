"""CI draws the same hypothesis examples on every clone; local runs are randomized (conftest.py)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PROBE = ("import sys; sys.path.insert(0, sys.argv[1]); import conftest; from hypothesis import settings; "
         "d = settings.default; print(d.derandomize, d.database is None, d.deadline)")


def profile(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    return subprocess.run([sys.executable, "-c", PROBE, str(TESTS)], env={**clean, **env}, capture_output=True,
                          text=True, check=True).stdout.split()


@pytest.mark.parametrize("env", [{"CI": "true"}, {"HYPOTHESIS_PROFILE": "ci"}])
def test_ci_is_derandomized_without_database_or_deadline(env):
    assert profile(**env) == ["True", "True", "None"]


def test_local_runs_are_randomized():
    assert profile()[0] == "False"


def test_make_test_and_ci_choose_the_ci_profile():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "HYPOTHESIS_PROFILE=ci" in test_recipe
    assert "HYPOTHESIS_PROFILE=ci" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
