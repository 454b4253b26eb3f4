"""Hand-over folder for files that arrive while another process owns the store.

DuckDB lets one process hold the database file. When the command line cannot open it (the
app is running), it copies each file into ``<db folder>/inbox/`` with a small JSON ticket
and says ``queued``; the app's watcher thread imports queued files within seconds and moves
them to ``inbox/done/`` with the result beside them. Files are renamed into place only when
complete, and never deleted, so none is lost.
"""
from __future__ import annotations

import json
import shutil
import threading
import time
import uuid
from pathlib import Path

POLL_SECONDS = 2.0
_watchers: dict[str, tuple[threading.Thread, threading.Event]] = {}


def inbox_dir(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "inbox"


def queue_file(db_path: str | Path, file: Path, account: str | None) -> Path:
    """Copy ``file`` into the inbox with its ticket; return the queued path."""
    box = inbox_dir(db_path)
    box.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    target = box / f"{token}.data"
    partial = box / f"{token}.part"
    shutil.copyfile(file, partial)
    (box / f"{token}.ticket").write_text(json.dumps({"file_name": file.name, "account": account,
                                                      "queued_at": time.time()}, ensure_ascii=False), "utf-8")
    partial.rename(target)
    return target


def queue_undo(db_path: str | Path, import_id: int) -> Path:
    """Queue an undo for the running app."""
    box = inbox_dir(db_path)
    box.mkdir(parents=True, exist_ok=True)
    path = box / f"{uuid.uuid4().hex[:12]}.undo"
    path.write_text(json.dumps({"import_id": import_id}), "utf-8")
    return path


def process_inbox(con, db_path: str | Path) -> list[dict]:
    """Import every complete queued file (oldest first) and run queued undos; return their results."""
    from store import importer
    from store.errors import Rejected
    box = inbox_dir(db_path)
    if not box.is_dir():
        return []
    done = box / "done"
    results = []
    for data in sorted(box.glob("*.data"), key=lambda p: p.stat().st_mtime):
        ticket_path = data.with_suffix(".ticket")
        ticket = json.loads(ticket_path.read_text("utf-8")) if ticket_path.exists() else {}
        result = importer.import_file(con, data, ticket.get("file_name", data.name), ticket.get("account"),
                                      origin="inbox").as_json()
        done.mkdir(exist_ok=True)
        stem = data.stem
        data.rename(done / f"{stem}__{ticket.get('file_name', data.name)}")
        if ticket_path.exists():
            ticket_path.rename(done / f"{stem}.ticket")
        (done / f"{stem}.result.json").write_text(json.dumps(result, ensure_ascii=False, default=str), "utf-8")
        results.append(result)
    for undo in sorted(box.glob("*.undo")):
        request = json.loads(undo.read_text("utf-8"))
        try:
            result = importer.undo_import(con, int(request["import_id"]))
        except Rejected as e:
            result = {"import_id": request.get("import_id"), "status": "rejected", "error": str(e)}
        done.mkdir(exist_ok=True)
        undo.rename(done / undo.name)
        (done / f"{undo.stem}.result.json").write_text(json.dumps(result, default=str), "utf-8")
        results.append(result)
    return results


def start_watcher(root_con, db_path: str | Path) -> None:
    """Start (once per database file) a daemon thread that processes the inbox every few seconds."""
    key = str(Path(db_path).resolve())
    if key in _watchers and _watchers[key][0].is_alive():
        return
    stop = threading.Event()

    def loop():
        con = root_con.cursor()
        while not stop.is_set():
            try:
                process_inbox(con, db_path)
            except Exception as e:  # keep watching; the files stay in the inbox
                print(f"inbox: {e}")
            stop.wait(POLL_SECONDS)

    thread = threading.Thread(target=loop, name="inbox-watcher", daemon=True)
    thread.start()
    _watchers[key] = (thread, stop)


def stop_watcher(db_path: str | Path) -> None:
    """Stop the watcher of ``db_path`` and wait for it (tests, shutdown)."""
    entry = _watchers.pop(str(Path(db_path).resolve()), None)
    if entry:
        entry[1].set()
        entry[0].join(timeout=10)
