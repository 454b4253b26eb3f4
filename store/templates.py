"""Downloadable CSV templates for the team's own figures, built from their layout declarations."""
from __future__ import annotations

import csv
import io
import tomllib
from functools import lru_cache

from store.layouts import LAYOUT_DIR

EXAMPLES = {
    "team_business_daily.toml": [["2026-01-05", "1200", "480", "350", "5230", "96", "4380.50"]],
    "team_channel_daily.toml": [["2026-01-05", "Weibo drive", "35", "9", "2"],
                                ["2026-01-05", "Weekly event", "120", "30", "6"]],
    "team_spend_ledger.toml": [["2026-01-05", "Red packets", "Own official groups", "800.00", "group red packets"],
                               ["2026-01-06", "Soft articles on local accounts", "Local accounts & communities",
                                "3000.00", "one soft article"]],
}


@lru_cache(maxsize=1)
def templates() -> dict[str, tuple[str, bytes]]:
    """Report id → (file name, UTF-8 CSV with BOM so Excel opens it correctly); built once per
    process from the layout files (they change only with the code)."""
    out = {}
    for layout_file, rows in EXAMPLES.items():
        data = tomllib.loads((LAYOUT_DIR / layout_file).read_text(encoding="utf-8"))
        header = [spec["headers"][0] for spec in data["fields"].values()]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        out[data["report"]] = (f"template_{data['report']}.csv", buffer.getvalue().encode("utf-8-sig"))
    return out
