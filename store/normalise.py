"""Step 3 of an import: turn a recognised block of text cells into typed rows of a relation.

Parsing runs in DuckDB SQL over the whole block at once. The rules are PRODUCT.md's: "-",
"--", "" and the like are missing (NULL, never 0); "1.2万" is 12,000; "10w+" is 100,001;
"12.5%" and 0.125 are the same rate; dates in every format seen, and dates without a year
take the latest year that does not put them after the export date. A non-empty cell that
does not parse rejects the whole file, naming row, column and value.

Two passes, for speed: one statement casts every cell the plain way (``TRY_CAST``, and the
written date formats) and flags the cells that are neither parsed nor empty; only when there
are such cells does a second statement run the full rules (units, thousands separators,
percent signs, dates without a year, spreadsheet serials …) over the flagged rows and
columns. A clean export never pays for the full rules, and the SQL stays small enough to bind
quickly, which is most of the cost of a small file.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from store.errors import Rejected
from store.layouts import IGNORED, Match, stored_fields
from store.relations import RELATIONS

MISSING_MARKERS = ('', '-', '--', '—', '–', '/', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'None', 'nan', '∞')
# A cell is missing when, trimmed, it is one of these: a regular expression, which binds fast and
# is evaluated only where needed (DuckDB turns a lookup in a constant list into a join that runs
# over every row of the block).
MISSING_RE = "(" + "|".join(MISSING_MARKERS) + ")"
# The same for untrimmed text: DuckDB's trim() strips exactly the Unicode space separators (Zs).
MISSING_UNTRIMMED_RE = r"\p{Zs}*" + MISSING_RE + r"\p{Zs}*"
# A trimmed text longer than this (in bytes) is no placeholder: the regular expression is skipped.
MARKER_BYTES = max(len(m.encode("utf-8")) for m in MISSING_MARKERS)
NBSP = "\u00a0"

# The same rules as SQL macros, for ad-hoc SQL and older callers; imports write the rules out
# inline (``*_sql`` below), which binds faster and needs nothing installed on the cursor.
MACROS = r"""
CREATE OR REPLACE TEMP MACRO ob_missing(s) AS
  (s IS NULL OR list_contains(['', '-', '--', '—', '–', '/', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'None', 'nan', '∞'],
                              trim(s)));
CREATE OR REPLACE TEMP MACRO ob_numparts(s) AS
  regexp_extract(regexp_replace(trim(s), '[,，\sNBSP¥￥$€£]|^(?:RMB|CNY|USD|EUR|INR)|(?:元|次|人|个|条|篇)$', '', 'g'),
    '^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(%|万|[wW]|亿|[kK])?(\+)?$', ['n', 'u', 'p']);
CREATE OR REPLACE TEMP MACRO ob_fromparts(m, allow_percent) AS
  CASE WHEN m.n = '' OR (m.u = '%' AND NOT allow_percent) THEN NULL
       ELSE TRY_CAST(m.n AS DOUBLE) * CASE m.u WHEN '万' THEN 10000 WHEN 'w' THEN 10000 WHEN 'W' THEN 10000
            WHEN '亿' THEN 100000000 WHEN 'k' THEN 1000 WHEN 'K' THEN 1000 WHEN '%' THEN 0.01 ELSE 1 END
            + CASE WHEN m.p = '+' THEN 1 ELSE 0 END END;
CREATE OR REPLACE TEMP MACRO ob_duration(s) AS
  CASE WHEN ob_missing(s) THEN NULL
       WHEN regexp_full_match(trim(s), '\d+:\d{1,2}:\d{1,2}(\.\d+)?')
         THEN TRY_CAST(split_part(trim(s), ':', 1) AS DOUBLE) * 3600 + TRY_CAST(split_part(trim(s), ':', 2) AS DOUBLE) * 60
              + TRY_CAST(split_part(trim(s), ':', 3) AS DOUBLE)
       WHEN regexp_full_match(trim(s), '\d+:\d{1,2}(\.\d+)?')
         THEN TRY_CAST(split_part(trim(s), ':', 1) AS DOUBLE) * 60 + TRY_CAST(split_part(trim(s), ':', 2) AS DOUBLE)
       WHEN regexp_full_match(trim(s), '(\d+分)?\d+(\.\d+)?秒')
         THEN coalesce(TRY_CAST(regexp_extract(trim(s), '(\d+)分', 1) AS DOUBLE), 0) * 60
              + TRY_CAST(regexp_extract(trim(s), '(\d+(\.\d+)?)秒', 1) AS DOUBLE)
       ELSE TRY_CAST(regexp_replace(trim(s), '(s|sec)$', '') AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO ob_ts_full(s) AS
  try_strptime(regexp_replace(regexp_replace(trim(s), '(:\d{2})\.\d+', '\1'), '(\s[+-]\d{4}|Z)$', ''),
    ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d', '%Y/%m/%d %H:%M:%S',
     '%Y/%m/%d %H:%M', '%Y%m%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y年%m月%d日%H时%M分%S秒', '%Y年%m月%d日 %H:%M:%S',
     '%Y年%m月%d日 %H:%M', '%m/%d/%Y', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %I:%M:%S %p',
     '%m/%d/%Y %I:%M %p', '%d-%m-%Y', '%d.%m.%Y', '%a, %b %d, %Y', '%b %d, %Y', '%B %d, %Y', '%d %B %Y',
     '%d %b %Y', '%b-%d-%Y']);
CREATE OR REPLACE TEMP MACRO ob_serial(s) AS
  CASE WHEN regexp_full_match(trim(s), '[2-7]\d{4}(\.\d+)?')
       THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(TRY_CAST(trim(s) AS DOUBLE) * 86400000000 AS BIGINT)) END;
CREATE OR REPLACE TEMP MACRO ob_md(s) AS
  try_strptime(regexp_replace(trim(s), '^(\d{1,2})月(\d{1,2})日$', '\1/\2') || ' 2000',
               ['%B %d %Y', '%d %B %Y', '%b %d %Y', '%d %b %Y', '%m/%d %Y', '%m-%d %Y']);
CREATE OR REPLACE TEMP MACRO ob_ybase(md, e) AS
  year(e) - CASE WHEN month(md) * 100 + day(md) > month(e) * 100 + day(e) THEN 1 ELSE 0 END;
CREATE OR REPLACE TEMP MACRO ob_leap_le(y) AS
  CASE WHEN (y - y % 4) % 100 = 0 AND (y - y % 4) % 400 <> 0 THEN y - y % 4 - 4 ELSE y - y % 4 END;
CREATE OR REPLACE TEMP MACRO ob_yearless(md, export_date) AS
  CASE WHEN md IS NULL THEN NULL
       WHEN month(md) = 2 AND day(md) = 29 THEN make_date(ob_leap_le(ob_ybase(md, export_date)), 2, 29)
       ELSE make_date(ob_ybase(md, export_date), month(md), day(md)) END;
CREATE OR REPLACE TEMP MACRO ob_format(s) AS
  CASE WHEN ob_missing(s) THEN NULL
       WHEN regexp_matches(lower(s), '视频|video|reel|live|直播|短片|shorts') THEN 'video'
       WHEN regexp_matches(lower(s), '图文|图片|photo|image|carousel|album|笔记|相册') THEN 'images'
       WHEN regexp_matches(lower(s), '文字|文本|text|status|link|article|文章|note') THEN 'text'
       ELSE lower(trim(s)) END;
CREATE OR REPLACE TEMP MACRO ob_bool(s) AS
  CASE WHEN ob_missing(s) THEN NULL
       WHEN lower(trim(s)) IN ('是', 'yes', 'y', 'true', '1', '原创', 'original') THEN TRUE
       WHEN lower(trim(s)) IN ('否', 'no', 'n', 'false', '0', '非原创', '转载') THEN FALSE END;
""".replace("NBSP", NBSP)


def install_macros(con) -> None:
    """Create the ``ob_*`` macros on this connection (temp, so per cursor). Imports do not need
    them: they write the same rules out inline."""
    con.execute(MACROS)


# --- the rules as inline SQL (the macros above, written out for a column or expression) ----------

def _missing_sql(col: str) -> str:
    """Whether a cell is missing: NULL, or a placeholder after trimming."""
    return f"{col} IS NULL OR regexp_full_match({col}, '{MISSING_UNTRIMMED_RE}')"


def missing_sql(s: str) -> str:
    return f"({_missing_sql(s)})"


def is_marker(text: str) -> str:
    """Whether already trimmed ``text`` is a missing placeholder ('', '-', 'N/A', …)."""
    return f"regexp_full_match({text}, '{MISSING_RE}')"


def numparts_sql(s: str) -> str:
    """The number, unit and '+' of a number written with units or separators (a STRUCT n, u, p)."""
    strip = r"[,，\s" + NBSP + r"¥￥$€£]|^(?:RMB|CNY|USD|EUR|INR)|(?:元|次|人|个|条|篇)$"
    pattern = r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(%|万|[wW]|亿|[kK])?(\+)?$"
    return (f"regexp_extract(regexp_replace(trim({s}), '{strip}', '', 'g'), '{pattern}', ['n', 'u', 'p'])")


def fromparts_sql(m: str, allow_percent: bool) -> str:
    """The value of ``numparts_sql``'s parts ``m`` (a column); NULL for '%' unless a rate."""
    return (f"CASE WHEN {m}.n = '' OR ({m}.u = '%' AND NOT {'true' if allow_percent else 'false'}) THEN NULL "
            f"ELSE TRY_CAST({m}.n AS DOUBLE) * CASE {m}.u WHEN '万' THEN 10000 WHEN 'w' THEN 10000 "
            f"WHEN 'W' THEN 10000 WHEN '亿' THEN 100000000 WHEN 'k' THEN 1000 WHEN 'K' THEN 1000 "
            f"WHEN '%' THEN 0.01 ELSE 1 END + CASE WHEN {m}.p = '+' THEN 1 ELSE 0 END END")


def duration_sql(s: str) -> str:
    t = f"trim({s})"
    return (f"CASE WHEN {missing_sql(s)} THEN NULL "
            rf"WHEN regexp_full_match({t}, '\d+:\d{{1,2}}:\d{{1,2}}(\.\d+)?') "
            f"THEN TRY_CAST(split_part({t}, ':', 1) AS DOUBLE) * 3600 + TRY_CAST(split_part({t}, ':', 2) AS DOUBLE) * 60"
            f" + TRY_CAST(split_part({t}, ':', 3) AS DOUBLE) "
            rf"WHEN regexp_full_match({t}, '\d+:\d{{1,2}}(\.\d+)?') "
            f"THEN TRY_CAST(split_part({t}, ':', 1) AS DOUBLE) * 60 + TRY_CAST(split_part({t}, ':', 2) AS DOUBLE) "
            rf"WHEN regexp_full_match({t}, '(\d+分)?\d+(\.\d+)?秒') "
            rf"THEN coalesce(TRY_CAST(regexp_extract({t}, '(\d+)分', 1) AS DOUBLE), 0) * 60"
            rf" + TRY_CAST(regexp_extract({t}, '(\d+(\.\d+)?)秒', 1) AS DOUBLE) "
            f"ELSE TRY_CAST(regexp_replace({t}, '(s|sec)$', '') AS DOUBLE) END")


TS_FORMATS = ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d',
              '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y%m%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y年%m月%d日%H时%M分%S秒',
              '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M', '%m/%d/%Y', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S',
              '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%d-%m-%Y', '%d.%m.%Y', '%a, %b %d, %Y', '%b %d, %Y',
              '%B %d, %Y', '%d %B %Y', '%d %b %Y', '%b-%d-%Y']
MD_FORMATS = ['%B %d %Y', '%d %B %Y', '%b %d %Y', '%d %b %Y', '%m/%d %Y', '%m-%d %Y']


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f"'{i}'" for i in items) + "]"


def ts_full_sql(s: str) -> str:
    return (rf"try_strptime(regexp_replace(regexp_replace(trim({s}), '(:\d{{2}})\.\d+', '\1'), '(\s[+-]\d{{4}}|Z)$', ''), "
            f"{_list(TS_FORMATS)})")


def serial_sql(s: str) -> str:
    """A spreadsheet day number (45000 = 2023-03-15) as a timestamp."""
    return (rf"CASE WHEN regexp_full_match(trim({s}), '[2-7]\d{{4}}(\.\d+)?') THEN TIMESTAMP '1899-12-30' + "
            f"to_microseconds(CAST(TRY_CAST(trim({s}) AS DOUBLE) * 86400000000 AS BIGINT)) END")


def md_sql(s: str) -> str:
    """A month and day without a year ('March 1', '3月1日', '12/31'), in the year 2000."""
    return (rf"try_strptime(regexp_replace(trim({s}), '^(\d{{1,2}})月(\d{{1,2}})日$', '\1/\2') || ' 2000', "
            f"{_list(MD_FORMATS)})")


def ybase_sql(md: str, export_date: str) -> str:
    """The latest year in which month-day ``md`` is not after ``export_date``."""
    e = export_date
    return f"year({e}) - CASE WHEN month({md}) * 100 + day({md}) > month({e}) * 100 + day({e}) THEN 1 ELSE 0 END"


def yearless_sql(md: str, ybase: str) -> str:
    """The date of month-day ``md`` in year ``ybase`` (both columns; ``ybase_sql``), 29 February
    in the latest leap year up to it."""
    y = ybase
    leap = (f"CASE WHEN ({y} - {y} % 4) % 100 = 0 AND ({y} - {y} % 4) % 400 <> 0 "
            f"THEN {y} - {y} % 4 - 4 ELSE {y} - {y} % 4 END")
    return (f"CASE WHEN {md} IS NULL THEN NULL WHEN month({md}) = 2 AND day({md}) = 29 THEN make_date({leap}, 2, 29) "
            f"ELSE make_date({y}, month({md}), day({md})) END")


def format_sql(s: str) -> str:
    return (f"CASE WHEN {missing_sql(s)} THEN NULL "
            f"WHEN regexp_matches(lower({s}), '视频|video|reel|live|直播|短片|shorts') THEN 'video' "
            f"WHEN regexp_matches(lower({s}), '图文|图片|photo|image|carousel|album|笔记|相册') THEN 'images' "
            f"WHEN regexp_matches(lower({s}), '文字|文本|text|status|link|article|文章|note') THEN 'text' "
            f"ELSE lower(trim({s})) END")


def bool_sql(s: str) -> str:
    return (f"CASE WHEN {missing_sql(s)} THEN NULL "
            f"WHEN list_contains(['是', 'yes', 'y', 'true', '1', '原创', 'original'], lower(trim({s}))) THEN TRUE "
            f"WHEN list_contains(['否', 'no', 'n', 'false', '0', '非原创', '转载'], lower(trim({s}))) THEN FALSE END")


# --- one field: the fast cast, the full rules -------------------------------------------------------

@dataclass
class FieldSQL:
    """How one field is parsed from its text column ``raw``: layers of helper columns (each a
    SELECT over the one before, which may use its columns), then the value.

    ``fast``/``fast_value``: plain casts. ``full``/``full_value``: every rule, for the cells the
    fast way leaves NULL although they are not empty. ``checked``: a NULL from a non-empty cell
    rejects the file.
    """
    raw: str
    fast: list[dict[str, str]] = field(default_factory=list)
    fast_value: str = "NULL"
    full: list[dict[str, str]] = field(default_factory=list)
    full_value: str = "NULL"
    checked: bool = False


def field_sql(ftype: str, raw: str, name: str, scale: str = "fraction",
              export_date: dt.date | None = None) -> FieldSQL:
    """The SQL that parses text column ``raw`` as ``ftype`` (helper columns are named after ``name``)."""
    day = f"DATE '{(export_date or dt.date.today()).isoformat()}'"
    out = FieldSQL(raw, checked=ftype in EXPECTED)
    h = {x: f"{name}__{x}" for x in ("f", "t", "F", "P", "V", "TS", "SER", "MD", "YB")}
    if ftype in ("count", "number", "rate"):
        f, F, P, V = h["f"], h["F"], h["P"], h["V"]
        out.fast = [{f: f"TRY_CAST({raw} AS DOUBLE)"}]
        out.fast_value = f"CASE WHEN isfinite({f}) THEN {f} END"
        out.full = [{F: f"TRY_CAST(trim({raw}) AS DOUBLE)"},
                    {P: f"CASE WHEN {missing_sql(raw)} OR isfinite({F}) THEN NULL ELSE {numparts_sql(raw)} END"},
                    {V: f"coalesce(CASE WHEN isfinite({F}) THEN {F} END, {fromparts_sql(P, ftype == 'rate')})"}]
        out.full_value = V
        if ftype == "rate" and scale == "percent":     # a plain number is in percent
            out.fast_value = f"CASE WHEN isfinite({f}) THEN {f} / 100 END"
            out.full_value = f"(CASE WHEN {P}.u = '%' THEN {V} ELSE {V} / 100 END)"
        if ftype == "count":
            out.fast_value, out.full_value = _whole(f), _whole(V)
    elif ftype in ("date", "datetime"):
        f, F, TS, SER, MD, YB = h["f"], h["F"], h["TS"], h["SER"], h["MD"], h["YB"]
        # fast: a plain cast, else the written formats ('2026年3月1日', '03/01/2026 1:05 PM', …),
        # tried only where the cast failed (what the full rules give these cells first)
        out.fast = [{f: f"coalesce(TRY_CAST(trim({raw}) AS TIMESTAMP), {ts_full_sql(raw)})"}]
        out.full = [{F: f"TRY_CAST(trim({raw}) AS TIMESTAMP)", TS: ts_full_sql(raw), SER: serial_sql(raw),
                     MD: md_sql(raw)},
                    {YB: ybase_sql(MD, day)}]
        full = (f"coalesce({F}, CASE WHEN {missing_sql(raw)} OR {F} IS NOT NULL THEN NULL "
                f"ELSE coalesce({TS}, {SER}, CAST({yearless_sql(MD, YB)} AS TIMESTAMP)) END)")
        out.fast_value = f if ftype == "datetime" else f"CAST({f} AS DATE)"
        out.full_value = full if ftype == "datetime" else f"CAST({full} AS DATE)"
    elif ftype == "duration":
        f = h["f"]
        out.fast = [{f: f"TRY_CAST({raw} AS DOUBLE)"}]
        out.fast_value = f"CASE WHEN isfinite({f}) THEN {f} END"   # plain seconds
        out.full_value = duration_sql(raw)
    elif ftype in ("text", "id"):
        t = h["t"]
        out.fast = [{t: f"trim({raw})"}]
        value = t if ftype == "text" else f"trim(ltrim({t}, chr(39)))"
        out.fast_value = f"CASE WHEN strlen({t}) > {MARKER_BYTES} THEN {value} WHEN {is_marker(t)} THEN NULL ELSE {value} END"
        out.full_value = (f"CASE WHEN {missing_sql(raw)} THEN NULL ELSE "
                          + (f"trim({raw})" if ftype == "text" else f"trim(ltrim(trim({raw}), chr(39)))") + " END")
    elif ftype == "format":
        out.fast_value = out.full_value = format_sql(raw)
    elif ftype == "bool":
        out.fast_value = out.full_value = bool_sql(raw)
    else:
        raise ValueError(f"unknown field type {ftype!r}")
    return out


def _whole(value: str) -> str:
    """A count: the whole number ``value`` (a column) is, within 1e-6, as BIGINT; else NULL
    (NaN and ±inf too)."""
    return (f"(CASE WHEN abs({value} - round({value})) < 1e-6 AND abs({value}) < 9e15 "
            f"THEN CAST(round({value}) AS BIGINT) END)")


def layered(base: str, layers: list[dict[str, str]]) -> str:
    """``base`` (a FROM item) with each layer of helper columns added in a SELECT over the last."""
    sql = base
    for layer in layers:
        if layer:
            sql = f"(SELECT *, {', '.join(f'{e} AS {n}' for n, e in layer.items())} FROM {sql})"
    return sql


def merge_layers(fields: list[FieldSQL]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The fast and the full helper layers of several fields, layer by layer."""
    def merge(get):
        out: list[dict[str, str]] = []
        for f in fields:
            for i, layer in enumerate(get(f)):
                while len(out) <= i:
                    out.append({})
                out[i].update(layer)
        return out
    return merge(lambda f: f.fast), merge(lambda f: f.full)


def parse_values(con, ftype: str, values: list, scale: str = "fraction",
                 export_date: dt.date | None = None) -> list:
    """Parse text ``values`` as ``ftype`` with exactly the rules an import applies (None = missing
    or not parseable). For the mapping step's preview and for tests."""
    sql = field_sql(ftype, "c0", "v", scale, export_date)
    cells = "(SELECT unnest(range(len(?::VARCHAR[]))) AS i, unnest(?::VARCHAR[]) AS c0)"
    rows = con.execute(
        f"""SELECT i, CASE WHEN fast_v IS NULL AND NOT {missing_sql('c0')} THEN full_v ELSE fast_v END FROM (
              SELECT i, c0, {sql.fast_value} AS fast_v, {sql.full_value} AS full_v
              FROM {layered(cells, sql.fast + sql.full)}) ORDER BY i""",
        [list(values), list(values)]).fetchall()
    return [r[1] for r in rows]


EXPECTED = {
    "count": "a whole number", "number": "a number", "rate": "a rate (12.5% or 0.125)",
    "duration": "a duration (32.5秒, 0:04:04 or seconds)", "date": "a date", "datetime": "a date and time",
    "bool": "yes or no",
}


def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def preamble_period(sheet, header_row: int) -> tuple[dt.date, dt.date] | None:
    """A date range written above the header ("July 8, 2025 - July 31, 2025"), as Google Ads does."""
    for row in sheet.head[:max(0, header_row - 1)]:
        for cell in row:
            parts = re.split(r"\s+[-–—~至]\s+", str(cell).strip())
            if len(parts) == 2:
                dates = [_parse_loose_date(p) for p in parts]
                if all(dates):
                    return dates[0], dates[1]
    return None


def _parse_loose_date(text: str) -> dt.date | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


CHECK_BITS = 62          # checked fields per flag column (BIGINT bits)


def _flag_columns(checks: list) -> list[list[tuple[int, str, int]]]:
    """The checked fields grouped per flag column: (check index, field, bit)."""
    groups: list[list[tuple[int, str, int]]] = []
    for j, (name, _, _, _) in enumerate(checks):
        if j % CHECK_BITS == 0:
            groups.append([])
        groups[-1].append((j, name, 1 << (j % CHECK_BITS)))
    return groups


def normalise(con, book, match: Match, export_date: dt.date, file_name: str) -> tuple[str, list[str]]:
    """Create a temp table of typed rows for ``match``; return (table name, its field columns).

    Raises ``Rejected`` naming the first bad cells (row, column, value).
    """
    layout, sheet = match.layout, book.sheets[match.sheet_index]
    start_row = match.header_row + 1 + layout.skip_after_header
    # A row counts when one of the columns the layout recognised holds a value. (Testing every
    # column of a wide block through a macro is quadratic in DuckDB's binder: 644 columns of a
    # Facebook page export took minutes.)
    block_cols = sorted({f"c{col}" for col, _ in match.columns.values()})
    not_empty = " OR ".join(f"NOT ({_missing_sql(c)})" for c in block_cols)
    where = [f"rowid + 1 >= {start_row}", f"({not_empty})"]
    parsed: dict[str, FieldSQL] = {}
    checks = []                       # (field, column index, header, what it should be)
    for name, (col, header) in match.columns.items():
        spec = layout.field(name)
        out_name = match.by_sheet_field if spec.by_sheet else name
        if spec.ignored or out_name == IGNORED:
            continue          # recognised, but the store keeps no such figure
        parsed[out_name] = field_sql(spec.type, f"c{col}", out_name, spec.scale, export_date)
        if spec.type in EXPECTED:
            checks.append((out_name, col, header, EXPECTED[spec.type]))
    for field_name, how, value in layout.drop_rows:
        if field_name in match.columns:
            raw = f"c{match.columns[field_name][0]}"
            if how == "keep":
                where.append(f"coalesce(trim({raw}) = {_q(value)}, false)")
                continue
            cond = f"starts_with(trim({raw}), {_q(value)})" if how == "prefix" else f"trim({raw}) = {_q(value)}"
            where.append(f"NOT coalesce({cond}, false)")
    for field_name in layout.require_values:
        if field_name in match.columns:
            where.append(f"NOT {missing_sql('c' + str(match.columns[field_name][0]))}")
    where_sql = " AND ".join(where)
    relation = RELATIONS[layout.target]
    if not stored_fields(match):
        # Nothing this match provides is kept by the store (say, a Douyin 封面点击率-only file):
        # recognised, no rows.
        where_sql = "false"
    extra: dict[str, str] = {}
    for name, value in layout.constants:
        if name not in parsed:
            extra[name] = _q(value)
    no_period = False
    if layout.period_from_preamble and "date" not in parsed:
        period = preamble_period(sheet, match.header_row)
        if period is None:
            no_period = True      # refused after the cell check, which names bad cells first
        else:
            extra["date_start"] = f"DATE '{period[0].isoformat()}'"
            extra["date_end"] = f"DATE '{period[1].isoformat()}'"
    if "amount" in match.columns and "currency" not in parsed:
        code = re.search(r"\(([A-Z]{3})\)", match.columns["amount"][1])
        if code:
            extra["currency"] = _q(code.group(1))
    hashed = layout.key_hash and "post_id" not in parsed
    if hashed:
        extra["post_id"] = key_hash_sql(layout.key_hash, parsed)
    defaults = {spec.name: spec.default for spec in layout.fields if spec.default is not None}
    groups = _flag_columns(checks)

    def final(name: str) -> str:
        return f"coalesce({name}, {_q(defaults[name])}) AS {name}" if name in defaults else name

    # One statement, in layers that DuckDB streams without storing them: the text cells and their
    # plain casts; the typed values; the defaults, constants and a flag bit per checked cell that
    # is neither empty nor parsed (the full rules, below, look at those cells again).
    table = f"norm_{sheet.table}_{match.first_col}"
    raws = sorted({p.raw for p in parsed.values()})
    fast, _ = merge_layers(parsed.values())
    values = "".join(f", {p.fast_value} AS {name}" for name, p in parsed.items())
    flags = [" + ".join(f"CASE WHEN {name} IS NOT NULL OR {parsed[name].raw} IS NULL THEN 0 "
                        f"WHEN {missing_sql(parsed[name].raw)} THEN 0 ELSE {bit} END"
                        for _, name, bit in group) + f" AS chk__{k}" for k, group in enumerate(groups)]
    layer3 = ["src_row"] + [final(n) for n in parsed] + [f"{e} AS {n}" for n, e in extra.items()] + flags
    cells = f"(SELECT rowid + 1 AS src_row, {', '.join(raws) or 'NULL AS no_field__'} FROM {sheet.table} WHERE {where_sql})"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(layer3)} FROM (
                      SELECT *{values} FROM {layered(cells, fast)})""")
    if groups and any(masks := _masks(con, table, groups)):
        _full_rules(con, table, sheet.table, parsed, groups, masks, defaults, layout.key_hash if hashed else ())
        if any(_masks(con, table, groups)):
            _reject_bad_cells(con, table, book, sheet, checks, groups, file_name)
    if no_period:
        con.execute(f"DROP TABLE {table}")
        raise Rejected(f"{file_name}: no reporting period (like 'July 8, 2025 - July 31, 2025') above the header.")
    if layout.sum_per_key:
        _sum_per_key(con, table, relation, list(parsed) + list(extra), layout.sum_per_key)
    return table, list(parsed) + list(extra)


def _masks(con, table: str, groups) -> tuple[int, ...]:
    """Per flag column, the bits set in any row of ``table`` (the checked fields with flagged cells)."""
    return tuple(m or 0 for m in con.execute(
        f"SELECT {', '.join(f'bit_or(chk__{k})' for k in range(len(groups)))} FROM {table}").fetchall()[0])


def _full_rules(con, table: str, grid: str, parsed: dict[str, FieldSQL], groups, masks: tuple[int, ...],
                defaults: dict, key_hash: tuple[str, ...]) -> None:
    """Parse the flagged cells with the full rules, in place; leave only the bits of cells that
    still do not parse (bad cells). Only flagged rows and the columns with a flag are read."""
    dirty: dict[str, list[tuple[int, int]]] = {}          # field -> [(flag column, bit)]
    for k, group in enumerate(groups):
        for _, name, bit in group:
            if masks[k] & bit:
                dirty.setdefault(name, []).append((k, bit))
    hashed = [ref.partition(":")[0] for ref in key_hash if ref.partition(":")[0] in parsed]
    rehash = bool(set(hashed) & set(dirty))
    names = list(dict.fromkeys(list(dirty) + (hashed if rehash else [])))
    chk = [f"chk__{k}" for k in range(len(groups))]
    raws = sorted({parsed[n].raw for n in names})
    any_flag = " OR ".join(f"{c} <> 0" for c in chk)
    cells = (f"(SELECT g.rowid + 1 AS src_row, {', '.join('k.' + c for c in chk)}, {', '.join(raws)} FROM {grid} g "
             f"JOIN (SELECT src_row, {', '.join(chk)} FROM {table} WHERE {any_flag}) k ON g.rowid + 1 = k.src_row)")
    _, full = merge_layers([parsed[n] for n in names])
    values = ", ".join(f"{parsed[n].full_value} AS {n}" for n in names)
    bad = []
    for k, group in enumerate(groups):
        terms = [f"CASE WHEN (chk__{k} & {bit}) <> 0 AND {name} IS NULL THEN {bit} ELSE 0 END"
                 for _, name, bit in group if name in dirty]
        bad.append(f"{' + '.join(terms) or '0'} AS chk__{k}")
    outer = (["src_row"] + [f"coalesce({n}, {_q(defaults[n])}) AS {n}" if n in defaults else n for n in dirty]
             + ([f"{key_hash_sql(key_hash, parsed)} AS post_id"] if rehash else []) + bad)
    sets = []
    for name, bits in dirty.items():
        flagged = " OR ".join(f"(t.chk__{k} & {bit}) <> 0" for k, bit in bits)
        sets.append(f"{name} = CASE WHEN {flagged} THEN s.{name} ELSE t.{name} END")
    if rehash:
        sets.append("post_id = s.post_id")
    sets += [f"{c} = s.{c}" for c in chk]
    con.execute(f"""UPDATE {table} AS t SET {', '.join(sets)} FROM (
                      SELECT {', '.join(outer)} FROM (
                        SELECT src_row, {', '.join(chk)}, {values} FROM {layered(cells, full)})) s
                    WHERE t.src_row = s.src_row""")


def _reject_bad_cells(con, table: str, book, sheet, checks, groups, file_name: str) -> None:
    """Drop ``table`` and raise ``Rejected`` naming the first bad cells (row, column, value)."""
    chk = [f"chk__{k}" for k in range(len(groups))]
    rows = con.execute(f"SELECT src_row, {', '.join(chk)} FROM {table} WHERE {' OR '.join(c + ' <> 0' for c in chk)} "
                       f"ORDER BY src_row LIMIT 5").fetchall()
    cells = []
    for src_row, *masks in rows:
        for k, group in enumerate(groups):
            cells += [(src_row, j) for j, _, bit in group if masks[k] & bit]
    cells = sorted(cells)[:5]
    cols = sorted({checks[j][1] for _, j in cells})
    found = {r[0]: r[1:] for r in con.execute(
        f"SELECT rowid + 1, {', '.join(f'c{c}' for c in cols)} FROM {sheet.table} "
        f"WHERE rowid + 1 IN ({', '.join(str(r) for r, _ in cells)})").fetchall()}
    bad = [(r, checks[j][2], found[r][cols.index(checks[j][1])], checks[j][3]) for r, j in cells]
    con.execute(f"DROP TABLE {table}")
    first = bad[0]
    more = "" if len(bad) == 1 else " Also: " + "; ".join(
        f"row {r}, column '{c}': {v!r}" for r, c, v, _ in bad[1:]) + "."
    where_in = f", sheet '{sheet.name}'" if book.kind in ("xlsx", "xls", "spreadsheetml") else ""
    raise Rejected(f"{file_name}{where_in}: row {first[0]}, column '{first[1]}': the value {first[2]!r} is not "
                   f"{first[3]}. Nothing was imported.{more}")


def key_hash_sql(key_hash: tuple[str, ...], fields) -> str:
    """SQL for a stable post id hashed from fields ('field', or 'field:date' for only the day)."""
    parts = []
    for ref in key_hash:
        name, _, how = ref.partition(":")
        if name not in fields:
            continue
        value = f"CAST({name} AS DATE)" if how == "date" else name
        parts.append(f"coalesce(CAST({value} AS VARCHAR), '')")
    return f"'h:' || left(md5({' || chr(124) || '.join(parts) or chr(39) + chr(39)}), 16)"


def _sum_per_key(con, table: str, relation, columns: list[str], summed: tuple[str, ...]) -> None:
    """Combine the rows of one natural key: ``summed`` fields added up, others from the last row."""
    keys = [k for k in relation.key if k in columns]
    if not keys:
        return
    select = ["min(src_row) AS src_row"] + keys
    for name in columns:
        if name in keys:
            continue
        if name in summed:
            select.append(f"CAST(sum({name}) AS {relation.columns.get(name, 'DOUBLE')}) AS {name}")
        else:
            select.append(f"arg_max({name}, src_row) AS {name}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(select)} FROM {table} "
                f"GROUP BY {', '.join(keys)}")
