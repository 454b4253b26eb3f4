"""Step 1 of an import: read a file's bytes into sheets of text cells.

The file type is sniffed from its bytes, never its extension: XLSX (zip), real BIFF .xls
(OLE2), HTML tables and XML Spreadsheet 2003 saved as .xls, and delimited text in UTF-8,
UTF-8 with BOM, UTF-16, GB18030/GBK or cp1252. Every sheet becomes a DuckDB temp table
``(c0, c1, …)`` of VARCHAR cells in file order: ``rowid + 1`` is the 1-based row of the file
(the spreadsheet row number), so messages can point at it.

A big UTF-8 text file is not copied into a table: its sheet is a temp view over DuckDB's
``read_csv`` of the file with the same ``rowid`` column, so the parse that follows reads the
file once, straight into typed rows (see ``LAZY_TEXT_BYTES``).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import html.parser
import re
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa
import pyarrow.compute as pc

from store.errors import Rejected

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 1000
HEAD_ROWS = 40
# A UTF-8 text file larger than this is read where it lies, through a view (the import reads
# it twice: the first rows to recognise it, then all of it to parse it). A smaller one is
# copied into a temp table, which is quicker to query several times.
LAZY_TEXT_BYTES = 1024 * 1024

MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"BM", None), (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"RIFF", "a RIFF media file"),
]


@dataclass
class Sheet:
    """One table-like grid of a file: a DuckDB temp table (or view, ``lazy``) of text cells."""
    name: str
    table: str
    width: int
    head: list[list[str]]
    lazy: bool = False


@dataclass
class Workbook:
    """What was read from one file: its kind, text encoding and sheets."""
    file_name: str
    kind: str
    encoding: str | None
    sheets: list[Sheet] = field(default_factory=list)


def check_size(file_name: str, size: int) -> None:
    """Refuse empty files and files over the 50 MB limit."""
    if size == 0:
        raise Rejected(f"{file_name}: the file is empty (0 bytes).")
    if size > MAX_FILE_BYTES:
        raise Rejected(f"{file_name}: the file is {size / 1024 / 1024:.1f} MB; the limit is 50 MB per file.")


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'xls' (BIFF), 'spreadsheetml', 'html' or 'text', from the first bytes."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    for magic, what in MAGIC:
        if data.startswith(magic) and what:
            return "binary:" + what
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return "spreadsheetml"
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<?xml")) \
            or b"<table" in start[:512]:
        return "html"
    return "text"


def read_file(con, path: Path, file_name: str, trust_utf8_head: bool = True) -> Workbook:
    """Read ``path`` into temp tables on ``con``; raise ``Rejected`` with a clear message.

    A big text file whose first ``UTF8_HEAD_BYTES`` are UTF-8 is taken for UTF-8 without
    decoding the rest here: DuckDB checks every byte while it parses, and a file that turns out
    not to be UTF-8 is read again with ``trust_utf8_head=False`` (``store.importer``)."""
    size = path.stat().st_size
    check_size(file_name, size)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    kind = sniff_kind(head)
    if kind.startswith("binary:"):
        raise Rejected(f"{file_name}: this is {kind[7:]}, not a data export (CSV, XLSX or XLS).")
    if kind == "xlsx":
        _check_zip(path, file_name)
        return _read_calamine(con, path, file_name, "xlsx")
    if kind == "xls":
        return _read_calamine(con, path, file_name, "xls")
    if kind == "text" and size > LAZY_TEXT_BYTES and trust_utf8_head:
        head_text = _utf8_head(path)
        if head_text is not None:
            try:
                return _read_delimited(con, path, file_name, *head_text, utf8_unread=True)
            except _NotUtf8:
                pass            # DuckDB met a byte that is not UTF-8 already: decode the whole file below
    data = path.read_bytes()
    if kind == "spreadsheetml":
        return _from_rows(con, file_name, "spreadsheetml", "utf-8", _spreadsheetml_sheets(data, file_name))
    text, encoding = decode_text(data, file_name)
    if kind == "html":
        tables = _html_tables(text)
        if not tables:
            raise Rejected(f"{file_name}: this is a web page without any data table "
                           f"(often a login or error page saved instead of the export). Download the export again.")
        return _from_rows(con, file_name, "html", encoding, tables)
    return _read_delimited(con, path, file_name, text, encoding)


# --- text -------------------------------------------------------------------------------------

UTF8_HEAD_BYTES = 256 * 1024


class _NotUtf8(Exception):
    """A big text file taken for UTF-8 from its first bytes has other bytes further on."""


def _utf8_head(path: Path) -> tuple[str, str] | None:
    """(text, encoding) of the first ``UTF8_HEAD_BYTES`` of a file when they are UTF-8 (with
    or without a BOM) and hold no NUL byte; None otherwise (decode the whole file)."""
    with open(path, "rb") as fh:
        data = fh.read(UTF8_HEAD_BYTES)
    if b"\x00" in data or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data[3:] if bom else data, final=False)
    except UnicodeDecodeError:
        return None
    return text, "utf-8-sig" if bom else "utf-8"


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode delimited text: BOMs first, then UTF-8, GB18030 (GBK), cp1252. Refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", file_name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", file_name), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) < len(sample) // 8:
        return _strict(data, "utf-16-le", file_name), "utf-16-le"
    if b"\x00" in sample:
        raise Rejected(f"{file_name}: the file holds binary data, not text or a spreadsheet "
                       f"(NUL byte at offset {sample.index(0)}).")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        for encoding in ("gb18030", "cp1252"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text) and (encoding != "gb18030" or _plausible_gbk(data)):
                return text, encoding
        line = data[:utf8_error.start].count(b"\n") + 1
        raise Rejected(f"{file_name}: the text encoding is not recognised: line {line} has bytes that are not "
                       f"UTF-8 ({data[utf8_error.start:utf8_error.start + 4].hex(' ')}), and neither GB18030 nor "
                       f"cp1252 reads the file cleanly. Re-save it as UTF-8 CSV.")


def _strict(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise Rejected(f"{file_name}: the file says it is {encoding} but byte {e.start} is not valid {encoding}.")


def _plausible_gbk(data: bytes) -> bool:
    """Whether bytes that decode as GB18030 are really Chinese text, not cp1252 Latin text.

    A cp1252 accent followed by an ASCII letter ("Catalu\\xf1a") also decodes as a GBK pair,
    but with a trail byte below 0x80, which common Chinese characters (GB2312 range, both bytes
    0xA1-0xFE) never have. Most pairs with an ASCII trail byte means a single-byte encoding.
    """
    pairs = ascii_trail = 0
    i, n = 0, min(len(data), 1 << 18)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        if 0x81 <= byte <= 0xFE and i + 1 < n:
            trail = data[i + 1]
            if 0x30 <= trail <= 0x39:          # a four-byte GB18030 sequence
                i += 4
                continue
            pairs += 1
            ascii_trail += trail < 0x80
            i += 2
            continue
        i += 1
    return pairs == 0 or ascii_trail * 2 <= pairs


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
    return controls == 0


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delim) if row]
        if not counts:
            continue
        wide = max(counts)
        score = sum(1 for c in counts if c == wide) * (wide - 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_delimited(con, path: Path, file_name: str, text: str, encoding: str,
                    utf8_unread: bool = False) -> Workbook:
    """The delimited text as a sheet (``utf8_unread``: only ``text``'s bytes were checked to be UTF-8;
    raise ``_NotUtf8`` when DuckDB finds other bytes)."""
    sample_lines = text[:262144].splitlines()[:400]
    if not any(line.strip() for line in sample_lines):
        raise Rejected(f"{file_name}: the file has no rows (only blank lines).")
    delim = _sniff_delimiter(sample_lines[:60])
    width = max((len(r) for r in csv.reader(sample_lines, delimiter=delim)), default=1)
    source = path
    tmp = None
    if encoding not in ("utf-8", "utf-8-sig") or "\r" in text[:65536] and "\n" not in text[:65536]:
        tmp = Path(tempfile.mkstemp(suffix=".csv")[1])
        tmp.write_text(text, encoding="utf-8")
        source = tmp
    table = _temp_name()
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    read = (f"""read_csv({_sql_text(str(source))}, delim = {_sql_text(delim)}, quote = '"', escape = '"',
                header = false, auto_detect = false, columns = {columns}, null_padding = true,
                strict_mode = false, parallel = false, max_line_size = 10000000)""")
    lazy = tmp is None and path.stat().st_size > LAZY_TEXT_BYTES
    try:
        if lazy:
            # one pass in file order (parallel = false), numbered as a table's rowid would be
            con.execute(f"CREATE TEMP VIEW {table} AS SELECT CAST(row_number() OVER () - 1 AS BIGINT) AS rowid, * "
                        f"FROM {read}")
            # the first rows in file order (parallel = false); the view's numbering would read it all
            rows = con.execute(f"SELECT * FROM {read} LIMIT {HEAD_ROWS}").fetchall()
        else:
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {read}")
            rows = con.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT {HEAD_ROWS}").fetchall()
    except Exception as e:  # duckdb.Error
        drop_grid(con, table, lazy)
        if utf8_unread and "Invalid unicode" in str(e):
            raise _NotUtf8() from None
        raise Rejected(unreadable_text(file_name, e))
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    head = [[c or "" for c in row] for row in rows]
    return Workbook(file_name, "csv" if delim != "\t" else "tsv", encoding,
                    [Sheet(Path(file_name).stem, table, width, head, lazy)])


def unreadable_text(file_name: str, error: Exception) -> str:
    """The message for delimited text DuckDB could not read (for a lazy sheet, found while parsing)."""
    return f"{file_name}: the text could not be read as a table: {str(error).splitlines()[0]}"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- spreadsheets ------------------------------------------------------------------------------

def _check_zip(path: Path, file_name: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise Rejected(f"{file_name}: the XLSX file is damaged or truncated (its zip directory is unreadable). "
                       f"Download it again.")
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if len(infos) > MAX_ZIP_ENTRIES or unpacked > MAX_UNZIPPED_BYTES or unpacked / packed > MAX_ZIP_RATIO:
        raise Rejected(f"{file_name}: refused before parsing: the XLSX unpacks to {unpacked / 1024 / 1024:.0f} MB "
                       f"from {packed / 1024 / 1024:.2f} MB in {len(infos)} parts (limits: 100 MB, ratio 100, "
                       f"1,000 parts). It looks like a zip bomb, not an export.")
    if not any(i.filename.startswith("xl/") for i in infos):
        raise Rejected(f"{file_name}: this is a zip archive but not an Excel workbook.")


def cell_text(value) -> str:
    """A spreadsheet cell as text: integral floats without '.0', dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value)


def _read_calamine(con, path: Path, file_name: str, kind: str) -> Workbook:
    from python_calamine import CalamineWorkbook
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheets.append((name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)))
    except Rejected:
        raise
    except Exception as e:
        raise Rejected(f"{file_name}: the {kind.upper()} workbook could not be opened: {e}. "
                       f"It may be damaged or truncated; download it again.")
    return _from_rows(con, file_name, kind, None, sheets)


def _text_column(cells) -> list[str]:
    """One column of cells as text (``cell_text``); text cells are kept as they are."""
    if set(map(type, cells)) <= {str}:
        return list(cells)
    return [c if type(c) is str else cell_text(c) for c in cells]


def _from_rows(con, file_name: str, kind: str, encoding: str | None, sheets: list[tuple[str, list[list]]]) -> Workbook:
    """Sheets of cells (text, or a spreadsheet's typed values shown by ``cell_text``) as temp tables."""
    book = Workbook(file_name, kind, encoding)
    for name, rows in sheets:
        width = max(map(len, rows), default=0)
        if width == 0:
            continue
        if any(len(r) != width for r in rows):
            rows = [list(r) + [""] * (width - len(r)) for r in rows]
        texts = [_text_column(column) for column in zip(*rows)]
        columns = {}
        for i, column in enumerate(texts):
            values = pa.array(column, pa.string())
            columns[f"c{i}"] = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
        table = _temp_name()
        arrow = pa.table(columns)
        con.register(f"{table}_arrow", arrow)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_arrow")
        con.unregister(f"{table}_arrow")
        head = [[texts[i][j] for i in range(width)] for j in range(min(HEAD_ROWS, len(rows)))]
        book.sheets.append(Sheet(name, table, width, head))
    if not book.sheets:
        raise Rejected(f"{file_name}: the workbook has no cells at all.")
    return book


# --- HTML tables and XML Spreadsheet 2003 ------------------------------------------------------

class _TableParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack:
            text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(self._cell)).strip()
            self._stack[-1][-1].extend([text] + [""] * (self._span - 1))
            self._cell = None
        elif tag == "table" and self._stack:
            rows = [r for r in self._stack.pop() if any(c for c in r)]
            if rows:
                self.tables.append(rows)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _html_tables(text: str) -> list[tuple[str, list[list[str]]]]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return [(f"table {i + 1}", rows) for i, rows in enumerate(parser.tables)]


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _spreadsheetml_sheets(data: bytes, file_name: str) -> list[tuple[str, list[list[str]]]]:
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536]:
        raise Rejected(f"{file_name}: XML with entity declarations is refused (possible entity expansion attack).")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        raise Rejected(f"{file_name}: the XML spreadsheet is damaged or truncated ({e}).")
    sheets = []
    for ws in root.iter(f"{_SS}Worksheet"):
        rows: list[list[str]] = []
        for row in ws.iter(f"{_SS}Row"):
            index = row.get(f"{_SS}Index")
            while index and len(rows) < int(index) - 1:
                rows.append([])
            cells: list[str] = []
            for cell in row.findall(f"{_SS}Cell"):
                at = cell.get(f"{_SS}Index")
                if at:
                    cells.extend([""] * (int(at) - 1 - len(cells)))
                data_el = cell.find(f"{_SS}Data")
                value = "".join(data_el.itertext()) if data_el is not None else ""
                if data_el is not None and data_el.get(f"{_SS}Type") == "DateTime":
                    value = value.replace("T", " ").removesuffix(".000").removesuffix(" 00:00:00")
                cells.append(value.strip())
                cells.extend([""] * int(cell.get(f"{_SS}MergeAcross") or 0))
            rows.append(cells)
        sheets.append((ws.get(f"{_SS}Name") or f"sheet {len(sheets) + 1}", rows))
    return sheets


def _temp_name() -> str:
    return "grid_" + uuid.uuid4().hex[:12]


def drop(con, book: Workbook) -> None:
    """Drop the temp tables and views of ``book``."""
    for sheet in book.sheets:
        drop_grid(con, sheet.table, sheet.lazy)


def drop_grid(con, table: str, lazy: bool) -> None:
    con.execute(f"DROP {'VIEW' if lazy else 'TABLE'} IF EXISTS {table}")
