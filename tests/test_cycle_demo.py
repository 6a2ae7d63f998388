"""The whole cycle on the sample ministry, as `make demo` runs it."""
from __future__ import annotations

import pytest

from xlkpi.cycle.changes import load_requests
from xlkpi.cycle.results import ministry_results
from xlkpi.cycle.reviews import load_reviews


@pytest.mark.slow
def test_run_cycle_on_the_sample_ministry(tmp_path):
    from xlkpi.cycle.demo_steps import DEMO_POOL, run_cycle
    from xlkpi.sample import write_sample

    paths = write_sample(tmp_path / "sample")
    written = run_cycle(paths, tmp_path / "out")
    assert all(path.exists() for _, path in written)
    folder = tmp_path / "out" / "ministry"
    names = sorted(p.name for _, p in written)
    assert sum(n.startswith("agreement-") for n in names) == len(paths) == 10
    assert "final-report.xlsx" in names and "progress.xlsx" in names
    # One change request, approved; the baseline carries its new thresholds.
    requests, _ = load_requests(folder)
    assert [(r.department, r.decision) for r in requests] == [(sorted(p.stem for p in paths)[0], "approved")]
    assert requests[0].changes[0].field == "thresholds"
    # One review, approved: it raises that department's final total above its round-1 total.
    reviews, _ = load_reviews(folder)
    results, allocation, _ = ministry_results(folder)
    reviewed = next(r for r in results if r.stem == reviews[0].department)
    assert reviewed.final.total > reviewed.round1.total
    assert allocation.total == DEMO_POOL
    assert sorted(r.rank for r in results)[0] == 1
