"""The agreement cycle (DOMAIN §1–§3): the ministry's folder and settings, the calendar,
signing, change and review requests, rounds progress, final results, incentives.

Each module is a pure core (records and functions returning findings) except the
`write_*` functions, which are the workbook edges.  See docs/cycle.md.
"""
