"""Demo workspace plan seed: the budget lines of each demo phase.

Line names and channels are those of the demo spend ledger (``store/demo_exports.py``); each
phase's lines add up exactly to its budget in ``store/demo_spec.py``. Amounts follow the
ledger's pace so the demo tells a story: the initial phase ran over budget, and in the brand
phase offline promotion and KOL placements spend faster than planned.
"""
from __future__ import annotations

import datetime as dt

from store import demo_spec

# phase code -> (item, category, channel or None, amount in yuan, importance, expected new followers)
DEMO_LINES: dict[str, list[tuple[str, str, str | None, float, str, int | None]]] = {
    "seed": [
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 14_000.0, "important", 700),
        ("Red packets", "red_packets", "Own official groups", 3_000.0, "important", 300),
        ("Weekly event prizes", "prizes", "Weekly event", 2_000.0, "important", 200),
        ("Tools", "tools", None, 1_000.0, "optional", None),
    ],
    "initial": [
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 55_000.0, "important", 5_500),
        ("Weibo drive placements", "placements", "Weibo drive", 25_000.0, "important", 5_000),
        ("Offline promotion", "events", "Offline promotion", 20_000.0, "optional", 1_500),
        ("Coupons", "coupons", "Local WeChat groups", 20_000.0, "important", 3_000),
        ("KOL placements", "placements", "Small personal accounts", 12_000.0, "optional", 1_200),
        ("Red packets", "red_packets", "Own official groups", 10_000.0, "important", 2_000),
        ("Weekly event prizes", "prizes", "Weekly event", 6_000.0, "important", 1_500),
        ("Tools", "tools", None, 2_000.0, "optional", None),
    ],
    "brand": [
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 72_000.0, "important", 9_000),
        ("Weibo drive placements", "placements", "Weibo drive", 57_000.0, "important", 12_000),
        ("Coupons", "coupons", "Local WeChat groups", 44_000.0, "important", 6_000),
        ("Offline promotion", "events", "Offline promotion", 40_000.0, "optional", 3_000),
        ("KOL placements", "placements", "Small personal accounts", 30_000.0, "optional", 4_000),
        ("Red packets", "red_packets", "Own official groups", 25_000.0, "important", 6_000),
        ("Conference booth", "events", "Conferences", 18_000.0, "optional", 800),
        ("Weekly event prizes", "prizes", "Weekly event", 12_000.0, "important", 4_000),
        ("Tools", "tools", None, 2_000.0, "optional", None),
    ],
}


def seed(con, today: dt.date) -> None:
    """Write the demo's budget lines (called inside the demo build transaction, after the
    builder wrote ``phases`` and ``channels``). Phases are found by their demo code; a
    line's channel is kept only if the channel list has it."""
    phase_ids = {code: pid for pid, code in con.execute("SELECT phase_id, code FROM phases").fetchall()}
    channels = {r[0] for r in con.execute("SELECT channel FROM channels").fetchall()}
    for code, *_ in demo_spec.PHASES:
        pid = phase_ids.get(code)
        if pid is None:
            continue
        con.execute("DELETE FROM budget_lines WHERE phase_id = ?", [pid])
        for item, category, channel, amount, importance, expected in DEMO_LINES.get(code, []):
            con.execute(
                """INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance,
                                             expected_followers, note)
                   VALUES ((SELECT coalesce(max(line_id), 0) + 1 FROM budget_lines), ?, ?, ?, ?, ?, ?, ?, NULL)""",
                [pid, item, category, channel if channel in channels else None, amount, importance, expected])
