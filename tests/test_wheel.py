"""What users install: the wheel, built from this checkout and installed in a fresh virtual
environment outside it, runs the demo, scores, checks frameworks and audits the sample with the
same results as the source tree (issue 9: the frameworks must ship in the package).

Needs the network for pip (the wheel's dependencies) and LibreOffice (the demo's SAR Cards).
`make wheel-test` runs only this."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xlkpi.agreement import load
from xlkpi.engine import score_agreement
from xlkpi.sample import DEPARTMENTS, SAMPLE_MISTAKES

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]

REPO = Path(__file__).resolve().parent.parent
#: What the wheel is built from: the package, its frameworks and the project files.
SOURCES = ["pyproject.toml", "setup.py", "README.md", "LICENSE", "xlkpi", "templates"]
FRAMEWORKS = {"fy2552-pilot-ministry", "fy2552-pilot-with-pmqa-2553", "fy2553-indicator-15",
              "fy2553-pilot-with-pmqa"}  # the sample ministry's (issue 13)


def run(args, cwd, env, ok=(0,), timeout=900):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)
    assert done.returncode in ok, f"{args} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder, run folder, environment) of a fresh venv with the wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith("XLKPI_")}
    env["COLUMNS"] = "200"  # rich's tables in full, whatever the terminal
    dist = root / "dist"
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)], root, env)
    wheel = next(dist.glob("xlkpi-*.whl"))
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], root, env)
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    run([str(bin_ / "python"), "-m", "pip", "install", "-q", str(wheel)], root, env)
    work = root / "run"
    work.mkdir()
    return bin_, work, env


def test_the_installed_package_is_the_wheel_with_its_frameworks(installed):
    bin_, work, env = installed
    where = run([str(bin_ / "python"), "-c", "import xlkpi; print(xlkpi.__file__)"], work, env).stdout.strip()
    assert Path(where).is_relative_to(bin_.parent) and not Path(where).is_relative_to(REPO)
    listed = dict(line.split("\t") for line in run([str(bin_ / "xlkpi"), "framework", "list"], work, env)
                  .stdout.splitlines())
    assert set(listed) == FRAMEWORKS
    assert all(Path(path).is_relative_to(bin_.parent) and Path(path).is_file() for path in listed.values())
    # python -m xlkpi (Windows: py -m xlkpi) is the same command
    assert "framework" in run([str(bin_ / "python"), "-m", "xlkpi", "--help"], work, env).stdout


@pytest.fixture(scope="module")
def demo(installed):
    bin_, work, env = installed
    done = run([str(bin_ / "xlkpi"), "demo", "-o", "demo"], work, env, ok=(0, 1))
    return done, work / "demo"


def test_the_demo_finds_every_deliberate_mistake_and_nothing_else(demo):
    done, out = demo
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if any(f" {m.code} " in line for m in SAMPLE_MISTAKES)]
    assert len(rows) == len(SAMPLE_MISTAKES) and all("✓" in row for row in rows), "\n".join(rows)
    assert "ไม่พบ" not in done.stdout
    assert "other findings: 0" in done.stdout
    assert (out / "audit" / "kpi-audit-report.xlsx").is_file()


def test_score_json_is_what_the_source_tree_computes(installed, demo):
    bin_, work, env = installed
    _, out = demo
    for department in DEPARTMENTS:
        path = out / "agreements" / f"{department.slug}.yaml"
        agreement, _ = load(path)
        for round_ in (6, 12):
            got = json.loads(run([str(bin_ / "xlkpi"), "score", str(path), "--json", "-r", str(round_)],
                                 work, env).stdout)
            want = score_agreement(agreement, round_).to_dict()
            assert got["total"] == want["total"] and got["dimensions"] == want["dimensions"], department.slug


def test_framework_check_finds_the_dimension_condition_in_dtam(installed, demo):
    bin_, work, env = installed
    _, out = demo
    done = run([str(bin_ / "xlkpi"), "framework", "check", str(out / "agreements" / "dtam.yaml"), "--json"],
               work, env, ok=(1,))
    data = json.loads(done.stdout)
    codes = {f["code"] for f in data["findings"]}
    assert data["framework"] == "fy2553-pilot-with-pmqa"  # the sample's fiscal year, FY2553
    assert "FW-DIM12-GT-DIM34" in codes and "FW-NO-FRAMEWORK" not in codes
    # a department without a deliberate framework mistake passes
    clean = run([str(bin_ / "xlkpi"), "framework", "check", str(out / "agreements" / "dms.yaml"), "--json"],
                work, env)
    assert [f for f in json.loads(clean.stdout)["findings"] if f["severity"] == "error"] == []


def test_audit_of_the_sample_finds_the_deliberate_mistakes(installed, demo):
    bin_, work, env = installed
    _, out = demo
    done = run([str(bin_ / "xlkpi"), "audit", str(out / "workbooks"), "-a", str(out / "agreements"), "--json",
                "-q"], work, env, ok=(1,))
    data = json.loads(done.stdout)
    found = {(Path(w["file"]).stem, f["code"]) for w in data["workbooks"] for f in w["findings"]}
    assert {(m.department, m.code) for m in SAMPLE_MISTAKES} == found
    assert data["summary"]["workbooks"] == 2 * len(DEPARTMENTS)
