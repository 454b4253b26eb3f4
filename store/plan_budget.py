"""Writes of the budget plan: budget lines per phase and the channel list.

* ``save_plan`` writes the channel list and one phase's budget lines in ONE transaction
  (so renaming a channel and the lines that use it succeed or fail together).
* ``import_lines`` reads budget lines from the CSV/XLSX template; a file with any bad value
  is rejected whole with every problem listed by row and column.
* ``template_xlsx`` / ``template_csv`` build the template, filled with the current lines.
"""
from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from store.connection import bump_data_version, transaction

CATEGORIES = ("placements", "prizes", "coupons", "red_packets", "events", "tools", "salaries", "other")
IMPORTANCE = ("important", "optional")
CHANNEL_KINDS = ("weibo_drive", "local_groups", "small_accounts", "own_groups", "weekly_event", "local_media",
                 "offline", "conference", "alliance", "pr", "ads", "platform")
LINE_COLUMNS = ("item", "category", "channel", "amount", "importance", "expected_followers", "note")
CHANNEL_COLUMNS = ("channel", "kind", "description", "active")
TEMPLATE_COLUMNS = ("phase", *LINE_COLUMNS)
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

# Header aliases of the template (lower-case); the first column is the canonical name.
HEADER_ALIASES = {
    "phase": ("phase", "阶段", "phase code", "phase_code"),
    "item": ("item", "budget line", "budget_line", "line", "项目", "预算项", "细项"),
    "category": ("category", "类别", "分类"),
    "channel": ("channel", "渠道"),
    "amount": ("amount", "budget", "金额", "预算", "预算金额", "amount (yuan)", "金额（元）", "金额(元)"),
    "importance": ("importance", "重要性", "优先级", "important or optional"),
    "expected_followers": ("expected_followers", "expected followers", "expected new followers",
                           "预期新增粉丝", "预期粉丝"),
    "note": ("note", "notes", "备注"),
}
CATEGORY_ALIASES = {
    "placements": ("placements", "placement", "ads", "投放", "广告投放", "软文"),
    "prizes": ("prizes", "prize", "奖品"),
    "coupons": ("coupons", "coupon", "优惠券", "优惠劵"),
    "red_packets": ("red_packets", "red packets", "red packet", "红包"),
    "events": ("events", "event", "活动"),
    "tools": ("tools", "tool", "工具"),
    "salaries": ("salaries", "salary", "薪资", "工资", "人员工资"),
    "other": ("other", "其他"),
}
IMPORTANCE_ALIASES = {
    "important": ("important", "重要", "必要", "yes"),
    "optional": ("optional", "可选", "非必要", "no"),
}


class PlanError(ValueError):
    """A plan edit that cannot be saved; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    file_name: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ reads for the editors

def lines_frame(con, phase_id: int) -> pd.DataFrame:
    """The phase's budget lines as the Plan editor shows them."""
    return con.execute(
        f"SELECT {', '.join(LINE_COLUMNS)} FROM budget_lines WHERE phase_id = ? ORDER BY amount DESC, item",
        [phase_id]).df()


def channels_frame(con) -> pd.DataFrame:
    """The channel list as the Plan editor shows it."""
    return con.execute(f"SELECT {', '.join(CHANNEL_COLUMNS)} FROM channels ORDER BY channel").df()


# ------------------------------------------------------------------ value parsing

def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and value.strip() in ("", "-", "--", "—")


def _text(value) -> str | None:
    return None if _blank(value) else str(value).strip()


def parse_amount(value) -> float | None:
    """'¥3,000', '3000元', '1.2万', 3000 → 3000.0 / 12000.0; blank → None; else ValueError."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[\s,，¥￥元]|RMB|CNY", "", str(value), flags=re.IGNORECASE)
    factor = 1.0
    if text.endswith("万"):
        factor, text = 10_000.0, text[:-1]
    number = float(text)  # raises ValueError
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number * factor


def _lookup(value: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    wanted = value.strip().lower().replace("-", "_")
    for code, names in aliases.items():
        if wanted == code or wanted.replace("_", " ") in names or value.strip().lower() in names:
            return code
    return None


# ------------------------------------------------------------------ validation

def _check_line(values: dict, where: str, channel_names: set[str], problems: list[str]) -> dict | None:
    """Validate one line's values (raw); append '<where>, column …' messages; return clean values."""
    before = len(problems)
    item = _text(values.get("item"))
    if item is None:
        problems.append(f"{where}, column item: a budget line needs a name")
    raw_cat = _text(values.get("category"))
    category = _lookup(raw_cat, CATEGORY_ALIASES) if raw_cat else None
    if category is None:
        problems.append(f"{where}, column category: {raw_cat!r} is not one of {', '.join(CATEGORIES)}")
    channel = _text(values.get("channel"))
    if channel is not None and channel not in channel_names:
        problems.append(f"{where}, column channel: {channel!r} is not in the channel list "
                        f"(add it under Channels first, or leave the cell empty)")
    try:
        amount = parse_amount(values.get("amount"))
        if amount is None:
            problems.append(f"{where}, column amount: the amount is missing")
        elif amount < 0:
            problems.append(f"{where}, column amount: {values.get('amount')!r} is negative")
    except (ValueError, TypeError):
        amount = None
        problems.append(f"{where}, column amount: {values.get('amount')!r} is not a number")
    raw_imp = _text(values.get("importance"))
    importance = "important" if raw_imp is None else _lookup(raw_imp, IMPORTANCE_ALIASES)
    if importance is None:
        problems.append(f"{where}, column importance: {raw_imp!r} is not 'important' or 'optional'")
    expected = None
    try:
        expected = parse_amount(values.get("expected_followers"))
        if expected is not None and (expected < 0 or expected != int(expected)):
            problems.append(f"{where}, column expected_followers: {values.get('expected_followers')!r} "
                            f"is not a whole number ≥ 0")
    except (ValueError, TypeError):
        problems.append(f"{where}, column expected_followers: {values.get('expected_followers')!r} is not a number")
    if len(problems) > before:
        return None
    return dict(item=item, category=category, channel=channel, amount=amount, importance=importance,
                expected_followers=None if expected is None else int(expected), note=_text(values.get("note")))


def _clean_channels(channels: pd.DataFrame, problems: list[str]) -> list[dict]:
    out, seen = [], set()
    for i, row in enumerate(channels.to_dict("records"), start=1):
        name = _text(row.get("channel"))
        if name is None:
            if all(_blank(row.get(c)) for c in CHANNEL_COLUMNS if c != "active"):
                continue  # an empty row added and left blank
            problems.append(f"channel row {i}, column channel: a channel needs a name")
            continue
        if name in seen:
            problems.append(f"channel row {i}, column channel: {name!r} is listed twice")
            continue
        seen.add(name)
        kind = _text(row.get("kind"))
        if kind is not None and kind not in CHANNEL_KINDS:
            problems.append(f"channel row {i}, column kind: {kind!r} is not one of {', '.join(CHANNEL_KINDS)}")
        active = row.get("active")
        out.append(dict(channel=name, kind=kind, description=_text(row.get("description")),
                        active=True if _blank(active) else bool(active)))
    return out


def _clean_lines(lines: pd.DataFrame, channel_names: set[str], problems: list[str]) -> list[dict]:
    out, seen = [], set()
    for i, row in enumerate(lines.to_dict("records"), start=1):
        if all(_blank(row.get(c)) for c in LINE_COLUMNS if c != "importance"):
            continue  # an empty row added and left blank
        clean = _check_line(row, f"budget line row {i}", channel_names, problems)
        if clean is None:
            continue
        if clean["item"] in seen:
            problems.append(f"budget line row {i}, column item: {clean['item']!r} is listed twice in this phase")
            continue
        seen.add(clean["item"])
        out.append(clean)
    return out


# ------------------------------------------------------------------ writes

def _insert_line(con, phase_id: int, line: dict) -> None:
    """Insert one line with the next free id (robust to ids written by other seeds)."""
    con.execute(
        """INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance,
                                     expected_followers, note)
           VALUES ((SELECT coalesce(max(line_id), 0) + 1 FROM budget_lines), ?, ?, ?, ?, ?, ?, ?, ?)""",
        [phase_id, line["item"], line["category"], line["channel"], line["amount"], line["importance"],
         line["expected_followers"], line["note"]])


def save_plan(con, phase_id: int | None, lines: pd.DataFrame | None, channels: pd.DataFrame) -> dict:
    """Replace the channel list and (when ``phase_id`` is given) that phase's budget lines,
    in one transaction that also bumps the data version. Raises ``PlanError`` listing every
    problem, leaving the store unchanged. Returns counts {'channels': n, 'lines': m}."""
    problems: list[str] = []
    new_channels = _clean_channels(channels, problems)
    names = {c["channel"] for c in new_channels}
    new_lines = [] if lines is None or phase_id is None else _clean_lines(lines, names, problems)
    if phase_id is not None and not con.execute("SELECT count(*) FROM phases WHERE phase_id = ?",
                                                [phase_id]).fetchall()[0][0]:
        problems.append(f"phase {phase_id} does not exist (it may have been deleted meanwhile)")
    used = con.execute(
        """SELECT b.channel, b.item, p.name FROM budget_lines b JOIN phases p USING (phase_id)
           WHERE b.channel IS NOT NULL AND b.phase_id IS DISTINCT FROM ? ORDER BY p.start_date, b.item""",
        [phase_id]).fetchall()
    for channel, item, phase_name in used:
        if channel not in names:
            problems.append(f"channel {channel!r} cannot be removed: budget line {item!r} of phase "
                            f"{phase_name!r} uses it")
    if problems:
        raise PlanError(problems)
    with transaction(con):
        con.execute("DELETE FROM channels")
        for c in new_channels:
            con.execute("INSERT INTO channels (channel, kind, description, active) VALUES (?, ?, ?, ?)",
                        [c["channel"], c["kind"], c["description"], c["active"]])
        if phase_id is not None and lines is not None:
            con.execute("DELETE FROM budget_lines WHERE phase_id = ?", [phase_id])
            for line in new_lines:
                _insert_line(con, phase_id, line)
        bump_data_version(con)
    return {"channels": len(new_channels), "lines": len(new_lines)}


def delete_phase_lines(con, phase_id: int) -> int:
    """Delete a phase's budget lines (for the phase editor when it deletes a phase; call it
    inside that transaction). Returns the number deleted."""
    n = con.execute("SELECT count(*) FROM budget_lines WHERE phase_id = ?", [phase_id]).fetchall()[0][0]
    con.execute("DELETE FROM budget_lines WHERE phase_id = ?", [phase_id])
    return n


# ------------------------------------------------------------------ template import

def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is not UTF-8, UTF-16, GBK/GB18030 or cp1252 text")


def _check_zip(data: bytes) -> None:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise ValueError("the file is not a valid XLSX workbook") from exc
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > 1000 or unpacked > MAX_UNPACKED_BYTES or unpacked > 100 * max(len(data), 1):
        raise ValueError("the workbook unpacks to an absurd size and was refused before reading")


def _read_grid(data: bytes, file_name: str) -> list[list]:
    """The first sheet (XLSX) or the table (CSV/TSV) as rows of raw cells."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        _check_zip(data)
        frame = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, dtype=object)
        return frame.astype(object).where(frame.notna(), None).values.tolist()
    if file_name.lower().endswith(".xls"):
        frame = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, dtype=object)
        return frame.astype(object).where(frame.notna(), None).values.tolist()
    text = _decode(data)
    first = text.splitlines()[0] if text else ""
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header_map(row: list) -> dict[str, int]:
    found = {}
    for idx, cell in enumerate(row):
        if _blank(cell):
            continue
        name = str(cell).strip().lower()
        for canonical, aliases in HEADER_ALIASES.items():
            if name in aliases and canonical not in found:
                found[canonical] = idx
    return found


def _phase_lookup(con) -> dict[str, int]:
    lookup = {}
    for pid, code, name in con.execute("SELECT phase_id, code, name FROM phases ORDER BY start_date").fetchall():
        for key in (str(pid), code, name):
            if key is not None:
                lookup.setdefault(str(key).strip().lower(), pid)
    return lookup


def import_lines(con, data: bytes, file_name: str) -> ImportResult:
    """Import budget lines from the template (CSV, TSV or XLSX; the header row may sit under
    title rows and columns may be in any order). A line replaces the line with the same phase
    and item; other lines stay. Any bad value rejects the whole file: ``errors`` lists each
    one as 'row R, column C: …' (R as the spreadsheet shows it) and nothing is written."""
    result = ImportResult(file_name)
    if len(data) > MAX_FILE_BYTES:
        result.errors.append(f"{file_name}: the file is larger than 50 MB")
        return result
    try:
        grid = _read_grid(data, file_name)
    except Exception as exc:  # unreadable file: say why
        result.errors.append(f"{file_name}: cannot be read ({exc})")
        return result
    header_at, columns = None, {}
    for i, row in enumerate(grid[:20]):
        mapping = _header_map(row)
        if {"item", "amount"} <= mapping.keys():
            header_at, columns = i, mapping
            break
    if header_at is None:
        result.errors.append(f"{file_name}: no header row with at least the columns 'item' and 'amount' "
                             f"in the first 20 rows (expected: {', '.join(TEMPLATE_COLUMNS)})")
        return result
    if "phase" not in columns:
        result.errors.append(f"{file_name}: the header row (row {header_at + 1}) has no 'phase' column")
        return result
    phases = _phase_lookup(con)
    channel_names = {r[0] for r in con.execute("SELECT channel FROM channels").fetchall()}
    headers = {c: str(grid[header_at][i]).strip() for c, i in columns.items()}
    clean_rows, seen = [], {}
    for offset, row in enumerate(grid[header_at + 1:], start=header_at + 2):
        values = {c: (row[i] if i < len(row) else None) for c, i in columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        result.rows += 1
        where = f"row {offset}"
        problems: list[str] = []
        raw_phase = _text(values.get("phase"))
        phase_id = phases.get(raw_phase.lower()) if raw_phase else None
        if phase_id is None:
            problems.append(f"{where}, column {headers['phase']}: {raw_phase!r} is not a phase "
                            f"(use a phase code or name from the Plan view)")
        clean = _check_line(values, where, channel_names, problems)
        problems = [_rename_column(p, headers) for p in problems]
        if clean is not None and phase_id is not None:
            key = (phase_id, clean["item"])
            if key in seen:
                problems.append(f"{where}, column {headers['item']}: {clean['item']!r} is already on row "
                                f"{seen[key]} for the same phase")
            else:
                seen[key] = offset
                clean_rows.append((phase_id, clean))
        result.errors.extend(problems)
    if result.errors:
        result.errors.insert(0, f"{file_name}: rejected, nothing was imported")
        return result
    if not clean_rows:
        result.errors.append(f"{file_name}: the file has a header but no budget lines")
        return result
    with transaction(con):
        for phase_id, line in clean_rows:
            existing = con.execute("SELECT line_id FROM budget_lines WHERE phase_id = ? AND item = ?",
                                   [phase_id, line["item"]]).fetchall()
            if existing:
                con.execute(
                    """UPDATE budget_lines SET category = ?, channel = ?, amount = ?, importance = ?,
                              expected_followers = ?, note = ? WHERE line_id = ?""",
                    [line["category"], line["channel"], line["amount"], line["importance"],
                     line["expected_followers"], line["note"], existing[0][0]])
                result.updated += 1
            else:
                _insert_line(con, phase_id, line)
                result.inserted += 1
        bump_data_version(con)
    return result


def _rename_column(problem: str, headers: dict[str, str]) -> str:
    """Name the column as the file's header does ('column 金额' rather than 'column amount')."""
    match = re.match(r"(row \d+), column (\w+):", problem)
    if match and match.group(2) in headers:
        return f"{match.group(1)}, column {headers[match.group(2)]}:{problem[match.end():]}"
    return problem


# ------------------------------------------------------------------ template export

def template_frame(con) -> pd.DataFrame:
    """The template's rows: every current budget line with its phase code."""
    return con.execute(
        f"""SELECT p.code AS phase, {', '.join('b.' + c for c in LINE_COLUMNS)}
            FROM budget_lines b JOIN phases p USING (phase_id)
            ORDER BY p.start_date, b.amount DESC, b.item""").df()


def _safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def template_csv(con) -> bytes:
    """The template as UTF-8 CSV with a BOM (Excel opens it correctly), current lines filled in."""
    frame = template_frame(con)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        writer.writerow(["" if v is None else _safe_cell(_plain(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def template_xlsx(con) -> bytes:
    """The template as XLSX: sheet 'budget_lines' (current lines) and sheet 'allowed values'
    (phases, categories, importance, channels)."""
    frame = template_frame(con)
    phases = con.execute("SELECT code, name, start_date, end_date, budget FROM phases ORDER BY start_date").fetchall()
    channels = [r[0] for r in con.execute("SELECT channel FROM channels ORDER BY channel").fetchall()]
    buf = io.BytesIO()
    import xlsxwriter
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("budget_lines")
    sheet.write_row(0, 0, TEMPLATE_COLUMNS, bold)
    for r, row in enumerate(frame.astype(object).where(frame.notna(), None).itertuples(index=False), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, _plain(value))
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 7, 18)
    info = book.add_worksheet("allowed values")
    info.write_row(0, 0, ["phase (code)", "phase name", "start", "end", "budget"], bold)
    for r, (code, name, start, end, budget) in enumerate(phases, start=1):
        info.write_row(r, 0, [code, name, start.isoformat(), end.isoformat(), budget if budget is not None else ""])
    info.write(0, 6, "category", bold)
    for r, cat in enumerate(CATEGORIES, start=1):
        info.write(r, 6, cat)
    info.write(0, 7, "importance", bold)
    for r, imp in enumerate(IMPORTANCE, start=1):
        info.write(r, 7, imp)
    info.write(0, 8, "channel", bold)
    for r, ch in enumerate(channels, start=1):
        info.write(r, 8, ch)
    book.close()
    return buf.getvalue()
