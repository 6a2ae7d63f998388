"""Hypothesis profiles.  "ci": the same examples on every run and every clone (derandomized, no
example database, no deadline on a loaded machine) — chosen when CI=true or HYPOTHESIS_PROFILE=ci
(`make test` and .ci/run set it).  "dev": randomized, for finding new failing examples locally;
pin each one found with @example."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"))
