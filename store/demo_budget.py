"""Demo workspace plan seed: budget (placeholder)."""
from __future__ import annotations

import datetime as dt


def seed(con, today: dt.date) -> None:
    """Write the demo's budget plan rows (called inside the demo build transaction)."""
    return None
