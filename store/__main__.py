"""Command line: ``python -m store import --db PATH [--account NAME] FILE...`` and ``python -m store undo``.

Prints one JSON object per file (file, status, platform, report, rows, inserted, updated,
error) and exits 1 if any file was rejected. When the app holds the database, files are
queued in the inbox for it to import, with status ``queued``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from store import connection, importer, inbox


def _open(db: str):
    try:
        return connection.cursor(db)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            return None
        raise


def cmd_import(args) -> int:
    con = _open(args.db)
    failed = False
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            result = {"file": name, "status": "rejected", "platform": None, "report": None, "rows": 0,
                      "inserted": 0, "updated": 0, "error": f"{name}: no such file"}
        elif con is None:
            queued = inbox.queue_file(args.db, path, args.account)
            result = {"file": path.name, "status": "queued", "platform": None, "report": None, "rows": 0,
                      "inserted": 0, "updated": 0, "error": None,
                      "message": f"the app holds {args.db}; queued as {queued} for it to import within seconds"}
        else:
            result = importer.import_file(con, path, path.name, args.account, origin="cli").as_json()
        failed |= result["status"] == "rejected"
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 1 if failed else 0


def cmd_undo(args) -> int:
    con = _open(args.db)
    if con is None:
        queued = inbox.queue_undo(args.db, args.import_id)
        print(json.dumps({"import_id": args.import_id, "status": "queued", "message": f"queued as {queued}"}))
        return 0
    try:
        print(json.dumps(importer.undo_import(con, args.import_id), default=str))
        return 0
    except importer.Rejected as e:
        print(json.dumps({"import_id": args.import_id, "status": "rejected", "error": str(e)}))
        return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import export files")
    imp.add_argument("--db", default=str(connection.DEFAULT_DB), help="database file")
    imp.add_argument("--account", help="account the files belong to")
    imp.add_argument("files", nargs="+")
    imp.set_defaults(run=cmd_import)
    und = sub.add_parser("undo", help="undo an import")
    und.add_argument("--db", default=str(connection.DEFAULT_DB))
    und.add_argument("import_id", type=int)
    und.set_defaults(run=cmd_undo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
