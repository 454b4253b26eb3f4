"""The benchmark keeps working: its smoke mode (team scale, one run, small files) runs in a
subprocess and produces a table with every view and every import file. No time is asserted."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from ui.navigation import PAGES


def test_smoke_mode_produces_every_view_and_import_row(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(out),
                           "--results", str(results)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((results / "smoke.json").read_text(encoding="utf-8"))
    rows = report["rows"]
    views = {r["name"] for r in rows if r["kind"] == "view"}
    assert {p.url_path for p in PAGES} | {"(empty page)"} == views
    imports = [r for r in rows if r["kind"] == "import"]
    assert [r["name"].split(" ")[0] for r in imports] == ["已通知内容_20261115.csv", "channel_daily.csv",
                                                          "作品列表导出.xlsx"]
    for row in rows:
        if row["kind"] in ("import", "view"):
            assert row["ours_ms"] is not None and row["ours_ms"] > 0, row
        if row["kind"] == "import" or (row["kind"] == "view" and row["name"] != "(empty page)"):
            assert row["limit_ms"] is not None and row["ratio"] is not None, row
    # every import went through the pipeline, every main view has its naive pandas twin
    assert all("rejected" not in r["verdict"] and "unchanged" not in r["verdict"] for r in imports)
    assert all(r["naive_ms"] for r in rows if r["kind"] == "view" and r["name"] in ("goals", "budget", "channels",
                                                                                     "content"))
    assert any(r["kind"] == "memory" and r.get("rss_mb") for r in rows)
    # the printed table and the Markdown file carry the same rows
    table = (results / "smoke.md").read_text(encoding="utf-8")
    for name in views | {r["name"] for r in imports}:
        assert name in table
        assert name in proc.stdout
