"""Imports as transactions: read → recognise → normalise → load, and undo.

``import_file`` is what the Upload page, the command line, the inbox and the demo all call.
A refused file raises nothing: it returns a result with status ``rejected`` and the message,
and the store is exactly as before.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from store import connection, layouts, loader, normalise, readers
from store.errors import Rejected
from store.relations import RELATIONS


@dataclass
class ImportResult:
    """The outcome of one file, as printed by the command line (one JSON object per file)."""
    file: str
    status: str                      # imported | unchanged | queued | rejected
    platform: str | None = None
    report: str | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    error: str | None = None
    import_id: int | None = None
    account: str | None = None
    duplicates: int = 0
    message: str | None = None
    unknown_layout: dict | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        keys = ("file", "status", "platform", "report", "rows", "inserted", "updated", "error")
        data = asdict(self)
        out = {k: data[k] for k in keys}
        out.update({k: data[k] for k in ("import_id", "account", "duplicates", "message") if data[k] is not None})
        return out


class UnknownLayout(Rejected):
    """No layout matched; carries what the mapping step needs (sheets, likely header rows)."""

    def __init__(self, message: str, sheets: list[dict]):
        super().__init__(message)
        self.sheets = sheets


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_NAME_DATES = [
    (re.compile(r"(20\d{2})[-_.](\d{1,2})[-_.](\d{1,2})"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"([A-Z][a-z]{2})-(\d{1,2})-(20\d{2})"),
     lambda m: (int(m[3]), dt.datetime.strptime(m[1], "%b").month, int(m[2]))),
]


def export_date_from_name(file_name: str, today: dt.date) -> dt.date:
    """The latest date written in the file name (an export's end date), else ``today``."""
    found = []
    for pattern, parts in _NAME_DATES:
        for m in pattern.finditer(file_name):
            try:
                found.append(dt.date(*parts(m)))
            except ValueError:
                continue
    return max(found) if found else today


def resolve_account(con, platform: str, account: str | None) -> str:
    """The account a file belongs to: the one given, else the platform's only account, else one named after it."""
    if account:
        return account.strip()
    rows = [r[0] for r in con.execute("SELECT account FROM accounts WHERE platform = ? ORDER BY account",
                                      [platform]).fetchall()]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        return platform
    raise Rejected(f"{platform} has {len(rows)} accounts ({', '.join(rows)}): say which one this file belongs to "
                   f"(the account choice on the Upload page, or --account NAME).")


def _unknown(book) -> UnknownLayout:
    sheets = []
    for i, sheet in enumerate(book.sheets):
        row, cells = layouts.header_candidates(sheet)
        sheets.append({"index": i, "name": sheet.name, "header_row": row, "headers": cells,
                       "sample": sheet.head[row:row + 3]})
    shown = ", ".join(c for c in (sheets[0]["headers"] if sheets else []) if c)[:300]
    return UnknownLayout(f"{book.file_name}: the layout is not recognised (headers found: {shown or 'none'}). "
                         f"Map its columns once on the Upload page; the mapping is saved and recognised next time.",
                         sheets)


def import_file(con, path: str | Path, file_name: str | None = None, account: str | None = None,
                origin: str = "upload", today: dt.date | None = None) -> ImportResult:
    """Import one export file into the store in one transaction; never raises for a bad file."""
    path = Path(path)
    name = file_name or path.name
    today = today or dt.date.today()
    account = account.strip() if isinstance(account, str) and account.strip() else None
    try:
        readers.check_size(name, path.stat().st_size)
        sha = sha256_of(path)
        same = con.execute("SELECT import_id, platform, report, rows, account FROM imports "
                           "WHERE sha256 = ? AND status = 'active' ORDER BY import_id LIMIT 1", [sha]).fetchall()
        if same:
            iid, platform, report, rows, acct = same[0]
            return ImportResult(name, "unchanged", platform, report, rows, import_id=iid, account=acct,
                                message=f"already imported as import {iid}; nothing changed")
        trust_utf8_head = True
        while True:
            book = readers.read_file(con, path, name, trust_utf8_head)
            try:
                return _import_book(con, book, sha, account, origin, today)
            except duckdb.InvalidInputException as e:
                if "CSV Error" not in str(e) or not any(sheet.lazy for sheet in book.sheets):
                    raise
                if "Invalid unicode" in str(e) and trust_utf8_head:
                    trust_utf8_head = False     # UTF-8 at the start only: detect the encoding on all of it
                    continue
                # a big text file is read while it is parsed (readers.LAZY_TEXT_BYTES)
                raise Rejected(readers.unreadable_text(name, e)) from None
            finally:
                readers.drop(con, book)
    except UnknownLayout as e:
        return ImportResult(name, "rejected", error=str(e), unknown_layout={"sheets": e.sheets})
    except Rejected as e:
        return ImportResult(name, "rejected", error=str(e))


def detect(con, path: str | Path, file_name: str | None = None) -> dict:
    """Read and recognise a file without importing it: platform, report, accounts to choose from.

    Returns ``status`` 'known', 'unknown' (with the sheets for the mapping step) or 'rejected'.
    """
    path = Path(path)
    name = file_name or path.name
    try:
        readers.check_size(name, path.stat().st_size)
        book = readers.read_file(con, path, name)
    except Rejected as e:
        return {"file": name, "status": "rejected", "error": str(e)}
    try:
        matches = layouts.recognise(book.sheets, list(layouts.saved_layouts(con)) + list(layouts.builtin_layouts()))
        if not matches:
            return {"file": name, "status": "unknown", "error": str(_unknown(book)), "sheets": _unknown(book).sheets}
        platform = matches[0].layout.platform
        needs_account = any(RELATIONS[m.layout.target].needs_account for m in matches)
        accounts = [r[0] for r in con.execute("SELECT account FROM accounts WHERE platform = ? ORDER BY account",
                                              [platform]).fetchall()]
        return {"file": name, "status": "known", "platform": platform,
                "report": ", ".join(dict.fromkeys(m.layout.report for m in matches)),
                "title": matches[0].layout.title, "needs_account": needs_account, "accounts": accounts}
    finally:
        readers.drop(con, book)


def _import_book(con, book, sha: str, account: str | None, origin: str, today: dt.date) -> ImportResult:
    name = book.file_name
    matches = layouts.recognise(book.sheets, list(layouts.saved_layouts(con)) + list(layouts.builtin_layouts()))
    if not matches:
        raise _unknown(book)
    platform = matches[0].layout.platform
    matches = [m for m in matches if m.layout.platform == platform]
    if platform == "team" and account:
        # The team's own template for an account that exists (a WeChat service account, a shop):
        # file it under that account's platform.
        owners = [r[0] for r in con.execute("SELECT platform FROM accounts WHERE account = ?", [account]).fetchall()]
        if len(owners) == 1:
            platform = owners[0]
    reports = list(dict.fromkeys(m.layout.report for m in matches))
    export_date = export_date_from_name(name, today)
    needs_account = any(RELATIONS[m.layout.target].needs_account or
                        any(RELATIONS[o.target].needs_account for o in m.layout.also) for m in matches)
    acct = resolve_account(con, platform, account) if needs_account else None
    parts: dict[str, list[loader.Part]] = {}
    for order, match in enumerate(matches):
        table, provided = normalise.normalise(con, book, match, export_date, name)
        parts.setdefault(match.layout.target, []).append(loader.Part(table, provided, order))
        for extra in match.layout.also:
            parts.setdefault(extra.target, []).append(
                loader.Part(table, provided, order, extra.where, extra.fields))
    staged = {}
    try:
        for target, target_parts in parts.items():
            rel = RELATIONS[target]
            staged[target] = loader.stage(con, rel, target_parts, platform, acct, platform, name)
        total_rows = sum(count.rows for _, _, count in staged.values())
        report = ", ".join(reports)
        if total_rows == 0:
            return ImportResult(name, "unchanged", platform, report, 0, account=acct,
                                message=layouts.unstored_message(matches, book.sheets)
                                or "recognised, but the file has no data rows: nothing imported")
        with connection.transaction(con):
            import_id = con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
            inserted = updated = duplicates = 0
            rebuilds = []
            for target, (table, provided, count) in staged.items():
                rel = RELATIONS[target]
                ins, upd, held = loader.apply_import(con, rel, table, import_id, provided, count.rows)
                inserted, updated, duplicates = inserted + ins, updated + upd, duplicates + count.duplicates
                if held:
                    rebuilds.append((rel, held))
            fields = [f"{t}.{f}" for t, (_, provided, _) in staged.items() for f in provided]
            # the import's row; a rebuild reads which fields the import provides from it
            con.execute("""INSERT INTO imports (import_id, file_name, sha256, platform, report, account, target, rows,
                           inserted, updated, duplicates, fields, encoding, origin, imported_at, status)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), 'active')""",
                        [import_id, name, sha, platform, report, acct, ", ".join(staged), total_rows, inserted,
                         updated, duplicates, fields, book.encoding or book.kind, origin])
            if rebuilds:
                for rel, keys_sql in rebuilds:
                    updated += loader.rebuild(con, rel, keys_sql)[1]
                con.execute("UPDATE imports SET updated = ? WHERE import_id = ?", [updated, import_id])
            if acct and not con.execute("SELECT count(*) FROM accounts WHERE platform = ? AND account = ?",
                                        [platform, acct]).fetchall()[0][0]:
                con.execute("INSERT OR IGNORE INTO accounts (platform, account) VALUES (?, ?)", [platform, acct])
            connection.bump_data_version(con)
        summed = any(RELATIONS[t].duplicates == "sum" for t in staged)
        note = (f"{duplicates} rows repeat the key of another row in the file: "
                f"{'their amounts were added up' if summed else 'the last one of each key was kept'}"
                if duplicates else None)
        return ImportResult(name, "imported", platform, report, total_rows, inserted, updated, import_id=import_id,
                            account=acct, duplicates=duplicates, message=note)
    finally:
        for table, _, _ in staged.values():
            loader.drop_staged(con, table)
        for table in dict.fromkeys(part.table for target_parts in parts.values() for part in target_parts):
            con.execute(f"DROP TABLE IF EXISTS {table}")


def undo_import(con, import_id: int) -> dict:
    """Undo an active import: its rows stop counting and earlier imports' figures come back."""
    rows = con.execute("SELECT status, file_name FROM imports WHERE import_id = ?", [import_id]).fetchall()
    if not rows:
        raise Rejected(f"import {import_id} does not exist")
    if rows[0][0] != "active":
        raise Rejected(f"import {import_id} ({rows[0][1]}) is already undone")
    restored = 0
    with connection.transaction(con):
        con.execute("UPDATE imports SET status = 'undone', undone_at = now() WHERE import_id = ?", [import_id])
        for rel in RELATIONS.values():
            loader.settle(con, rel, import_ids=[import_id])     # its history rows, if they were still pending
            touched = con.execute(f"SELECT count(*) FROM {rel.name}_facts WHERE import_id = ?", [import_id]).fetchall()[0][0]
            if touched:
                _, changed = loader.rebuild(con, rel, f"SELECT * FROM {rel.name}_facts WHERE import_id = {int(import_id)}")
                restored += changed
        connection.bump_data_version(con)
    return {"import_id": import_id, "file": rows[0][1], "status": "undone", "restored": restored}


def import_history(con, limit: int = 200):
    """The latest imports, newest first, as a DataFrame."""
    return con.execute("""SELECT import_id, imported_at, file_name, platform, report, account, rows, inserted, updated,
                                 duplicates, origin, status, undone_at
                          FROM imports ORDER BY import_id DESC LIMIT ?""", [limit]).df()
