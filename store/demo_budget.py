"""Demo workspace plan seed: the budget lines of each demo phase.

Line names are the ``budget_line`` names of the demo spend ledger; each phase's lines add
up exactly to its budget in ``store/demo_spec.py``. ``DEMO_LINES`` is public so the ledger
generator can spend in proportion to it.
"""
from __future__ import annotations

import datetime as dt

from store import demo_spec

# phase code -> (item, category, channel or None, amount in yuan, importance, expected new followers)
DEMO_LINES: dict[str, list[tuple[str, str, str | None, float, str, int | None]]] = {
    "seed": [
        ("Coupons", "coupons", None, 5_000.0, "important", 250),
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 3_000.0, "important", 150),
        ("Weekly event prizes", "prizes", "Weekly event", 3_000.0, "important", 200),
        ("Offline promotion", "events", "Offline promotion", 3_000.0, "optional", 100),
        ("Salaries", "salaries", None, 3_000.0, "important", None),
        ("Red packets", "red_packets", "Own official groups", 2_000.0, "important", 150),
        ("Tools", "tools", None, 1_000.0, "optional", None),
    ],
    "initial": [
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 30_000.0, "important", 6_000),
        ("Weibo drive placements", "placements", "Weibo drive", 25_000.0, "important", 8_000),
        ("Salaries", "salaries", None, 25_000.0, "important", None),
        ("Coupons", "coupons", None, 20_000.0, "important", 5_000),
        ("Weekly event prizes", "prizes", "Weekly event", 15_000.0, "important", 5_000),
        ("Offline promotion", "events", "Offline promotion", 12_000.0, "optional", 2_000),
        ("Red packets", "red_packets", "Local WeChat groups", 10_000.0, "important", 4_000),
        ("KOL placements", "placements", "PR", 10_000.0, "optional", 2_500),
        ("Tools", "tools", None, 3_000.0, "optional", None),
    ],
    "brand": [
        ("Soft articles on local accounts", "placements", "Local accounts & communities", 60_000.0, "important", 12_000),
        ("Weibo drive placements", "placements", "Weibo drive", 45_000.0, "important", 15_000),
        ("Salaries", "salaries", None, 40_000.0, "important", None),
        ("Coupons", "coupons", None, 35_000.0, "important", 8_000),
        ("Conference booth", "events", "Conferences", 30_000.0, "optional", 3_000),
        ("Weekly event prizes", "prizes", "Weekly event", 25_000.0, "important", 8_000),
        ("Offline promotion", "events", "Offline promotion", 25_000.0, "optional", 4_000),
        ("KOL placements", "placements", "PR", 20_000.0, "optional", 5_000),
        ("Red packets", "red_packets", "Local WeChat groups", 15_000.0, "important", 5_000),
        ("Tools", "tools", None, 5_000.0, "optional", None),
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
                   VALUES (nextval('budget_line_id_seq'), ?, ?, ?, ?, ?, ?, ?, NULL)""",
                [pid, item, category, channel if channel in channels else None, amount, importance, expected])
