"""The built-in demo workspace, and starting an empty one.

On first start with an empty store the app builds the demo: export files in the real
layouts (``store/demo_exports.py``) imported through the normal pipeline, then the plan —
phases, channels, goals, budget lines, roles, people and KPIs — in one transaction.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from store import connection, demo_budget, demo_exports, demo_goals, demo_meetings, demo_spec, demo_team, importer

KEEP_TABLES = {"schema_version", "meta", "saved_mappings"}


def ensure_workspace(con, today: dt.date | None = None) -> str:
    """Build the demo on first start with an empty store; return the workspace mode."""
    rows = con.execute("SELECT value FROM settings WHERE key = 'workspace_mode'").fetchall()
    if rows:
        return rows[0][0]
    has_data = con.execute("SELECT count(*) FROM imports").fetchall()[0][0]
    if has_data:
        _set_mode(con, "own")
        return "own"
    build(con, today or dt.date.today())
    return "demo"


def build(con, today: dt.date) -> list[importer.ImportResult]:
    """Import the demo exports through the pipeline and write the demo plan; return the import results."""
    data = demo_exports.DemoData(today)
    results = []
    with connection.transaction(con):
        for platform, account in demo_spec.ACCOUNTS.values():
            con.execute("INSERT OR IGNORE INTO accounts (platform, account) VALUES (?, ?)", [platform, account])
    with tempfile.TemporaryDirectory(prefix="demo_exports_") as folder:
        for demo_file in demo_exports.write_all(data, Path(folder)):
            result = importer.import_file(con, demo_file.path, demo_file.path.name, demo_file.account,
                                          origin="demo", today=today)
            if result.status == "rejected":
                raise RuntimeError(f"demo export {demo_file.path.name} was rejected: {result.error}")
            results.append(result)
    with connection.transaction(con):
        for code, name, start, end, target, budget in demo_spec.phase_dates(today):
            con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                           VALUES (nextval('phase_id_seq'), ?, ?, ?, ?, ?, ?)""", [code, name, start, end, target, budget])
        for channel, kind in demo_spec.CHANNELS:
            con.execute("INSERT OR IGNORE INTO channels (channel, kind, active) VALUES (?, ?, TRUE)", [channel, kind])
        demo_goals.seed(con, today)
        demo_budget.seed(con, today)
        demo_team.seed(con, today)
        demo_meetings.seed(con, today)
        _set_mode(con, "demo")
        con.execute("INSERT OR REPLACE INTO settings VALUES ('demo_built_on', ?)", [today.isoformat()])
        connection.bump_data_version(con)
    return results


def start_empty(con) -> None:
    """Delete every figure, import and plan row: an empty workspace (saved column mappings stay)."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'").fetchall()]
    with connection.transaction(con):
        for table in tables:
            if table not in KEEP_TABLES:
                con.execute(f'DELETE FROM "{table}"')
        _set_mode(con, "empty")
        connection.bump_data_version(con)


def _set_mode(con, mode: str) -> None:
    con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', ?)", [mode])
