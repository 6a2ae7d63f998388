"""Ministry results: every department's round-1 and final scores, ranks and incentives.

Round 1 = the 12-month scores of each department's baseline (signed agreement + approved
changes, with its reported results).  Final = round 1 with OPDC's ministry- and
mission-group-level results taken for indicators 1 and 2 (DOMAIN §3) and approved review
requests applied.  Ranks are competition ranks on the final total (equal totals share a rank).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..engine import DepartmentScore, score_agreement
from ..findings import Finding
from ..model import Agreement


@dataclass
class DepartmentResult:
    stem: str
    agreement: Agreement
    round1: DepartmentScore
    final: DepartmentScore
    reviews: list = field(default_factory=list)
    rank: int = 0  # on the final total
    rank_round1: int = 0
    sources: dict = field(default_factory=dict)  # indicator id -> where its final score came from


def ranks(totals: list) -> list[int]:
    """Competition ranks, highest first: [4.8, 3.8, 4.8] → [1, 3, 1]."""
    return [1 + sum(1 for other in totals if other > t) for t in totals]


def compute_results(departments, reviews=(), round_: int = 12, opdc=None) -> list[DepartmentResult]:
    """departments: [(stem, agreement)]; reviews: every ReviewRequest (matched by stem);
    opdc: the OpdcResults recorded (or None)."""
    from .reviews import apply_reviews

    out = []
    for stem, agreement in departments:
        own = [r for r in reviews if r.department == stem]
        taken = opdc.for_department(agreement) if opdc is not None else {}
        sources = {i: text for i, (_, text) in taken.items()}
        for review in own:
            if review.decision == "approved" and review.round == round_:
                sources[review.indicator] = f"ทบทวนแล้ว (reviewed) — คำขอที่ {review.number}"
        out.append(DepartmentResult(stem, agreement, score_agreement(agreement, round_),
                                    apply_reviews(agreement, own, round_, {i: s for i, (s, _) in taken.items()}),
                                    own, sources=sources))
    for result, rank in zip(out, ranks([r.final.total for r in out])):
        result.rank = rank
    for result, rank in zip(out, ranks([r.round1.total for r in out])):
        result.rank_round1 = rank
    return out


def department_stems(folder) -> list[str]:
    return sorted(p.stem for p in (Path(folder) / "agreements").glob("*.yaml"))


def load_department_baselines(folder) -> tuple[list, list[Finding]]:
    """[(stem, baseline agreement)] for every agreements/<stem>.yaml; a broken one is a finding."""
    from .changes import baseline_for

    pairs, findings = [], []
    for stem in department_stems(folder):
        agreement, more = baseline_for(folder, stem)
        findings += more
        if agreement is not None and not any(f.is_error for f in more):
            pairs.append((stem, agreement))
    return pairs, findings


def load_baselines(folder) -> tuple[list[Agreement], list[Finding]]:
    pairs, findings = load_department_baselines(folder)
    return [a for _, a in pairs], findings


def allocation_for(results: list[DepartmentResult], settings):
    """The incentive allocation by the settings' tiers and pool; None when no pool is set."""
    from .incentives import allocate, settings_tiers

    pool = (settings.incentives or {}).get("pool") if settings else None
    if pool is None:
        return None, []
    tiers, findings = settings_tiers(settings)
    rows = [(r.agreement.department, r.final.total, r.agreement.staff) for r in results]
    return allocate(int(pool), rows, tiers), findings


def ministry_results(folder) -> tuple[list[DepartmentResult], Optional[object], list[Finding]]:
    """Results, incentive allocation (or None) and findings for a ministry folder."""
    from .ministry import load_settings
    from .reviews import load_reviews, review_findings

    settings, findings = load_settings(folder)
    if settings is not None and any(f.is_error for f in findings):
        settings = None
    if not (Path(folder) / "ministry.yaml").exists():
        findings = []  # settings are optional for results; without them there is no pool
    pairs, more = load_department_baselines(folder)
    findings += more
    reviews, more = load_reviews(folder)
    findings += more
    for stem, agreement in pairs:
        findings += review_findings(agreement, [r for r in reviews if r.department == stem])
    from .opdc import load_opdc

    opdc, more = load_opdc(folder)
    findings += more
    results = compute_results(pairs, reviews, opdc=opdc)
    allocation, more = allocation_for(results, settings)
    return results, allocation, findings + more
