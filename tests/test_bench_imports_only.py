"""``bench/run.py --views none`` times the imports only: no view, no workspace, no memory row.
No time is asserted."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_views_none_times_only_the_imports(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--views", "none", "--skip-rss",
                           "--out", str(out), "--results", str(results)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads((results / "smoke.json").read_text(encoding="utf-8"))["rows"]
    assert {r["kind"] for r in rows} == {"import"}
    assert len(rows) == 3 and all(r["verdict"] != "error" and r["limit_ms"] for r in rows)
    assert not list(out.glob("*.duckdb"))            # no workspace was generated for views
