"""Step 3 of an import: turn a recognised block of text cells into typed rows of a relation.

Parsing runs in DuckDB SQL over the whole block at once (temp macros below). The rules are
PRODUCT.md's: "-", "--", "" and the like are missing (NULL, never 0); "1.2万" is 12,000;
"10w+" is 100,001; "12.5%" and 0.125 are the same rate; dates in every format seen, and
dates without a year take the latest year that does not put them after the export date.
A non-empty cell that does not parse rejects the whole file, naming row, column and value.
"""
from __future__ import annotations

import datetime as dt
import re

from store.errors import Rejected
from store.layouts import Match

MACROS = r"""
CREATE OR REPLACE TEMP MACRO ob_missing(s) AS
  (s IS NULL OR trim(s) IN ('', '-', '--', '—', '–', '/', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'None', 'nan', '∞'));
CREATE OR REPLACE TEMP MACRO ob_clean(s) AS
  regexp_replace(trim(s), '[,，\s ¥￥$€£]|^(RMB|CNY|USD|EUR|INR)', '', 'g');
CREATE OR REPLACE TEMP MACRO ob_scaled(s, unit, factor) AS
  CASE WHEN regexp_full_match(lower(ob_clean(s)), '[+-]?(\d+\.?\d*|\.\d+)' || unit || '\+?')
       THEN TRY_CAST(regexp_extract(ob_clean(s), '[+-]?(\d+\.?\d*|\.\d+)') AS DOUBLE) * factor
            + CASE WHEN ends_with(ob_clean(s), '+') THEN 1 ELSE 0 END END;
CREATE OR REPLACE TEMP MACRO ob_num(s) AS
  CASE WHEN ob_missing(s) THEN NULL
       WHEN regexp_full_match(ob_clean(s), '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?')
         THEN TRY_CAST(ob_clean(s) AS DOUBLE)
       ELSE coalesce(ob_scaled(s, '万', 10000), ob_scaled(s, 'w', 10000), ob_scaled(s, '亿', 100000000),
                     ob_scaled(s, 'k', 1000)) END;
CREATE OR REPLACE TEMP MACRO ob_count(s) AS
  CASE WHEN ob_num(s) IS NOT NULL AND abs(ob_num(s) - round(ob_num(s))) < 1e-6 THEN CAST(round(ob_num(s)) AS BIGINT) END;
CREATE OR REPLACE TEMP MACRO ob_rate(s, percent_scale) AS
  CASE WHEN ob_missing(s) THEN NULL
       WHEN regexp_full_match(ob_clean(s), '[+-]?(\d+\.?\d*|\.\d+)%') THEN TRY_CAST(rtrim(ob_clean(s), '%') AS DOUBLE) / 100
       WHEN percent_scale THEN ob_num(s) / 100
       ELSE ob_num(s) END;
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
       ELSE ob_num(regexp_replace(trim(s), '(s|sec|秒)$', '')) END;
CREATE OR REPLACE TEMP MACRO ob_ts_full(s) AS
  try_strptime(regexp_replace(regexp_replace(trim(s), '\s[+-]\d{4}$', ''), '\.\d+$', ''),
    ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d', '%Y/%m/%d %H:%M:%S',
     '%Y/%m/%d %H:%M', '%Y%m%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y年%m月%d日%H时%M分%S秒', '%Y年%m月%d日 %H:%M:%S',
     '%Y年%m月%d日 %H:%M', '%m/%d/%Y', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %I:%M:%S %p',
     '%m/%d/%Y %I:%M %p', '%d-%m-%Y', '%d.%m.%Y', '%a, %b %d, %Y', '%b %d, %Y', '%B %d, %Y', '%d %B %Y',
     '%d %b %Y', '%b-%d-%Y']);
CREATE OR REPLACE TEMP MACRO ob_serial(s) AS
  CASE WHEN regexp_full_match(trim(s), '[2-7]\d{4}(\.\d+)?')
       THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(TRY_CAST(trim(s) AS DOUBLE) * 86400000000 AS BIGINT)) END;
CREATE OR REPLACE TEMP MACRO ob_md(s) AS
  coalesce(try_strptime(trim(s) || ' 2000', ['%B %d %Y', '%d %B %Y', '%b %d %Y', '%d %b %Y', '%m月%d日 %Y', '%m-%d %Y', '%m/%d %Y']),
           try_strptime(regexp_replace(trim(s), '^(\d+)月(\d+)日$', '\1-\2') || ' 2000', '%m-%d %Y'));
CREATE OR REPLACE TEMP MACRO ob_yearless(s, export_date) AS
  CASE WHEN ob_md(s) IS NULL THEN NULL
       WHEN make_date(year(export_date), month(ob_md(s)), day(ob_md(s))) <= export_date
         THEN make_date(year(export_date), month(ob_md(s)), day(ob_md(s)))
       ELSE make_date(year(export_date) - 1, month(ob_md(s)), day(ob_md(s))) END;
CREATE OR REPLACE TEMP MACRO ob_ts(s, export_date) AS
  CASE WHEN ob_missing(s) THEN NULL
       ELSE coalesce(ob_ts_full(s), ob_serial(s), CAST(ob_yearless(s, export_date) AS TIMESTAMP)) END;
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
"""


def install_macros(con) -> None:
    """Create the parsing macros on this connection (temp, so per cursor)."""
    con.execute(MACROS)


def parse_expr(ftype: str, raw: str, scale: str = "fraction", export_date: dt.date | None = None) -> str:
    """The SQL expression parsing text column ``raw`` as ``ftype``."""
    day = f"DATE '{(export_date or dt.date.today()).isoformat()}'"
    return {
        "count": f"ob_count({raw})",
        "number": f"ob_num({raw})",
        "rate": f"ob_rate({raw}, {'true' if scale == 'percent' else 'false'})",
        "duration": f"ob_duration({raw})",
        "date": f"CAST(ob_ts({raw}, {day}) AS DATE)",
        "datetime": f"ob_ts({raw}, {day})",
        "text": f"CASE WHEN ob_missing({raw}) THEN NULL ELSE trim({raw}) END",
        "id": f"CASE WHEN ob_missing({raw}) THEN NULL ELSE trim(regexp_replace({raw}, '^''', '')) END",
        "format": f"ob_format({raw})",
        "bool": f"ob_bool({raw})",
    }[ftype]


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


def normalise(con, book, match: Match, export_date: dt.date, file_name: str) -> tuple[str, list[str]]:
    """Create a temp table of typed rows for ``match``; return (table name, its field columns).

    Raises ``Rejected`` naming the first bad cells (row, column, value).
    """
    layout, sheet = match.layout, book.sheets[match.sheet_index]
    start_row = match.header_row + 1 + layout.skip_after_header
    block_cols = [f"c{i}" for i in range(match.first_col, match.last_col + 1)]
    not_empty = " OR ".join(f"NOT ob_missing({c})" for c in block_cols)
    where = [f"src_row >= {start_row}", f"({not_empty})"]
    fields: dict[str, str] = {}
    checks = []
    for name, (col, header) in match.columns.items():
        spec = layout.field(name)
        raw = f"c{col}"
        out_name = match.by_sheet_field if spec.by_sheet else name
        expr = parse_expr(spec.type, raw, spec.scale, export_date)
        fields[out_name] = expr
        if spec.type in EXPECTED:
            checks.append(f"SELECT src_row, {_q(header)} AS col, {raw} AS value, {_q(EXPECTED[spec.type])} AS expected "
                          f"FROM {sheet.table} WHERE {{where}} AND NOT ob_missing({raw}) AND ({expr}) IS NULL")
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
            where.append(f"NOT ob_missing(c{match.columns[field_name][0]})")
    where_sql = " AND ".join(where)
    if checks:
        bad = con.execute(" UNION ALL ".join(c.format(where=where_sql) for c in checks)
                          + " ORDER BY src_row LIMIT 5").fetchall()
        if bad:
            first = bad[0]
            more = "" if len(bad) == 1 else " Also: " + "; ".join(
                f"row {r}, column '{c}': {v!r}" for r, c, v, _ in bad[1:]) + "."
            where_in = f", sheet '{sheet.name}'" if book.kind in ("xlsx", "xls", "spreadsheetml") else ""
            raise Rejected(f"{file_name}{where_in}: row {first[0]}, column '{first[1]}': the value {first[2]!r} is not "
                           f"{first[3]}. Nothing was imported.{more}")
    for name, value in layout.constants:
        fields.setdefault(name, _q(value))
    if layout.period_from_preamble and "date" not in fields:
        period = preamble_period(sheet, match.header_row)
        if period is None:
            raise Rejected(f"{file_name}: no reporting period (like 'July 8, 2025 - July 31, 2025') above the header.")
        fields.setdefault("date_start", f"DATE '{period[0].isoformat()}'")
        fields.setdefault("date_end", f"DATE '{period[1].isoformat()}'")
    if "amount" in match.columns and "currency" not in fields:
        code = re.search(r"\(([A-Z]{3})\)", match.columns["amount"][1])
        if code:
            fields["currency"] = _q(code.group(1))
    if layout.key_hash and "post_id" not in fields:
        parts = " || '|' || ".join(f"coalesce(CAST({fields[f]} AS VARCHAR), '')" for f in layout.key_hash if f in fields)
        fields["post_id"] = f"'h:' || left(md5({parts}), 16)"
    table = f"norm_{sheet.table}_{match.first_col}"
    select = ", ".join(f"{expr} AS {name}" for name, expr in fields.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT src_row, {select} FROM {sheet.table} WHERE {where_sql}")
    return table, list(fields)
