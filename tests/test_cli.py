"""``python -m store import|undo``: JSON lines, exit codes, and the hand-over while another process holds the store."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.conftest import ROOT

GROWTH = ("<table><tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"
          "<tr><td>2026-03-01</td><td>10</td><td>2</td><td>8</td><td>108</td></tr></table>")


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "store", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()], proc.stderr


def test_import_prints_one_json_object_per_file_and_fails_on_rejection(tmp_path):
    db = tmp_path / "cli.duckdb"
    good = tmp_path / "user_analysis.xls"
    good.write_text(GROWTH, "utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, lines, err = run("import", "--db", db, "--account", "Sub", good, empty)
    assert code == 1, err
    assert [line["status"] for line in lines] == ["imported", "rejected"]
    first = lines[0]
    assert set(first) >= {"file", "status", "platform", "report", "rows", "inserted", "updated", "error"}
    assert (first["file"], first["platform"], first["report"], first["rows"], first["inserted"], first["updated"]) == \
        ("user_analysis.xls", "wechat", "user_growth", 1, 1, 0)
    assert first["error"] is None and lines[1]["error"].startswith("empty.csv")

    code, lines, _ = run("import", "--db", db, "--account", "Sub", good)
    assert code == 0 and lines[0]["status"] == "unchanged"

    code, lines, _ = run("undo", "--db", db, first["import_id"])
    assert code == 0 and lines[0]["status"] == "undone"


def test_files_are_queued_when_another_process_holds_the_store(tmp_path):
    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]); from store import connection; "
        "connection.cursor(sys.argv[2]); print('ready', flush=True); time.sleep(60)"), str(ROOT), str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        good = tmp_path / "user_analysis.xls"
        good.write_text(GROWTH, "utf-8")
        code, lines, err = run("import", "--db", db, "--account", "Sub", good)
        assert code == 0, err
        assert lines[0]["status"] == "queued" and "queued" in lines[0]["message"]
        queued = list((tmp_path / "inbox").glob("*.data"))
        assert len(queued) == 1 and queued[0].read_bytes() == good.read_bytes()
    finally:
        holder.kill()
        holder.wait()
    # The store's owner (here: this process, as the app would) imports the queued file.
    from store import connection, inbox
    con = connection.cursor(db)
    try:
        results = inbox.process_inbox(con, db)
        assert [(r["file"], r["status"], r["rows"]) for r in results] == [("user_analysis.xls", "imported", 1)]
        assert con.execute("SELECT account, followers_total FROM account_daily").fetchall() == [("Sub", 108)]
        done = tmp_path / "inbox" / "done"
        assert len(list(done.glob("*.result.json"))) == 1 and not list((tmp_path / "inbox").glob("*.data"))
    finally:
        connection.close(db)


def test_the_app_watcher_imports_queued_files_within_seconds(tmp_path):
    from store import connection, inbox
    db = tmp_path / "watched.duckdb"
    root = connection.open_root(db)
    try:
        good = tmp_path / "user_analysis.xls"
        good.write_text(GROWTH, "utf-8")
        inbox.queue_file(db, good, "Sub")
        inbox.start_watcher(root, db)
        deadline = time.monotonic() + 30
        rows = 0
        while time.monotonic() < deadline and not rows:
            time.sleep(0.2)
            rows = root.cursor().execute("SELECT count(*) FROM account_daily").fetchall()[0][0]
        assert rows == 1
    finally:
        inbox.stop_watcher(db)
        connection.close(db)
