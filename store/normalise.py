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
from store.layouts import IGNORED, Match, stored_fields
from store.relations import RELATIONS

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
""".replace("NBSP", "\u00a0")


MISSING_MARKERS = ('', '-', '--', '—', '–', '/', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'None', 'nan', '∞')


def _missing_sql(col: str) -> str:
    """``ob_missing(col)`` written out inline (cheap to bind for many columns). A list lookup,
    not ``IN``: DuckDB turns ``IN (…)`` into a join over every row of the block."""
    markers = ", ".join("'" + m + "'" for m in MISSING_MARKERS)
    return f"{col} IS NULL OR list_contains([{markers}], trim({col}))"


def install_macros(con) -> None:
    """Create the parsing macros on this connection (temp, so per cursor)."""
    con.execute(MACROS)


def parse_stages(ftype: str, raw: str, name: str, scale: str = "fraction",
                 export_date: dt.date | None = None) -> tuple[str, str, str | None]:
    """SQL parsing text column ``raw`` as ``ftype`` in two stages, for speed: a fast cast that
    handles plain cells (column ``{name}__f``), the slow path for the rest (column ``{name}__p``,
    NULL where the fast cast worked), and the value read from those two columns."""
    day = f"DATE '{(export_date or dt.date.today()).isoformat()}'"
    mid = f"{name}__p"
    missing = f"ob_missing({raw})"
    if ftype in ("count", "number", "rate"):
        fast = f"TRY_CAST(trim({raw}) AS DOUBLE)"
        stage = f"CASE WHEN {missing} OR isfinite({fast}) THEN NULL ELSE ob_numparts({raw}) END"
        value = (f"coalesce(CASE WHEN isfinite({name}__f) THEN {name}__f END, "
                 f"ob_fromparts({mid}, {'true' if ftype == 'rate' else 'false'}))")
        if ftype == "rate" and scale == "percent":
            value = f"(CASE WHEN {mid}.u = '%' THEN {value} ELSE {value} / 100 END)"
        if ftype == "count":
            value = (f"(CASE WHEN abs({value} - round({value})) < 1e-6 AND abs({value}) < 9e15 "
                     f"THEN CAST(round({value}) AS BIGINT) END)")
        return stage, value, fast
    if ftype in ("date", "datetime"):
        fast = f"TRY_CAST(trim({raw}) AS TIMESTAMP)"
        stage = (f"CASE WHEN {missing} OR {fast} IS NOT NULL THEN NULL ELSE coalesce(ob_ts_full({raw}), "
                 f"ob_serial({raw}), CAST(ob_yearless(ob_md({raw}), {day}) AS TIMESTAMP)) END")
        value = f"coalesce({name}__f, {mid})"
        return stage, (f"CAST({value} AS DATE)" if ftype == "date" else value), fast
    simple = {
        "duration": f"ob_duration({raw})",
        "text": f"CASE WHEN {missing} THEN NULL ELSE trim({raw}) END",
        "id": f"CASE WHEN {missing} THEN NULL ELSE trim(ltrim(trim({raw}), chr(39))) END",
        "format": f"ob_format({raw})",
        "bool": f"ob_bool({raw})",
    }[ftype]
    return simple, mid, None


def parse_values(con, ftype: str, values: list, scale: str = "fraction",
                 export_date: dt.date | None = None) -> list:
    """Parse text ``values`` as ``ftype`` with exactly the SQL an import uses (None = missing
    or not parseable). For the mapping step's preview and for tests."""
    install_macros(con)
    stage, value, fast = parse_stages(ftype, "c0", "v", scale, export_date)
    stages = f"{stage} AS v__p" + (f", {fast} AS v__f" if fast else "")
    rows = con.execute(f"SELECT i, {value} FROM (SELECT i, c0, {stages} FROM "
                       f"(SELECT unnest(range(len(?::VARCHAR[]))) AS i, unnest(?::VARCHAR[]) AS c0)) ORDER BY i",
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


def normalise(con, book, match: Match, export_date: dt.date, file_name: str) -> tuple[str, list[str]]:
    """Create a temp table of typed rows for ``match``; return (table name, its field columns).

    Raises ``Rejected`` naming the first bad cells (row, column, value).
    """
    layout, sheet = match.layout, book.sheets[match.sheet_index]
    start_row = match.header_row + 1 + layout.skip_after_header
    # A row counts when one of the columns the layout recognised holds a value. (Testing every
    # column of a wide block through the macro is quadratic in DuckDB's binder: 644 columns of a
    # Facebook page export took minutes.)
    block_cols = sorted({f"c{col}" for col, _ in match.columns.values()})
    not_empty = " OR ".join(f"NOT ({_missing_sql(c)})" for c in block_cols)
    where = [f"rowid + 1 >= {start_row}", f"({not_empty})"]
    stages: dict[str, str] = {}
    fields: dict[str, str] = {}
    checks = []
    for name, (col, header) in match.columns.items():
        spec = layout.field(name)
        raw = f"c{col}"
        out_name = match.by_sheet_field if spec.by_sheet else name
        if spec.ignored or out_name == IGNORED:
            continue          # recognised, but the store keeps no such figure
        stage, value, fast = parse_stages(spec.type, raw, out_name, spec.scale, export_date)
        if fast:
            stages[f"{out_name}__f"] = fast
        stages[f"{out_name}__p"] = stage
        stages[f"{out_name}__raw"] = raw
        fields[out_name] = value
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
            where.append(f"NOT ob_missing(c{match.columns[field_name][0]})")
    where_sql = " AND ".join(where)
    relation = RELATIONS[layout.target]
    if not stored_fields(match):
        # Nothing this match provides is kept by the store (say, a Douyin 封面点击率-only file):
        # recognised, no rows.
        where_sql = "false"
    if not stages:
        stages["no_fields__"] = "NULL"
    extra: dict[str, str] = {}
    for name, value in layout.constants:
        if name not in fields:
            extra[name] = _q(value)
    no_period = False
    if layout.period_from_preamble and "date" not in fields:
        period = preamble_period(sheet, match.header_row)
        if period is None:
            no_period = True      # refused after the cell check, which names bad cells first
        else:
            extra["date_start"] = f"DATE '{period[0].isoformat()}'"
            extra["date_end"] = f"DATE '{period[1].isoformat()}'"
    if "amount" in match.columns and "currency" not in fields:
        code = re.search(r"\(([A-Z]{3})\)", match.columns["amount"][1])
        if code:
            extra["currency"] = _q(code.group(1))
    if layout.key_hash and "post_id" not in fields:
        extra["post_id"] = key_hash_sql(layout.key_hash, fields)
    defaults = {spec.name: spec.default for spec in layout.fields if spec.default is not None}
    # One statement, three steps that DuckDB streams without storing the steps between them:
    # the text cells through the fast casts and the slow paths, the typed values, then the
    # defaults and constants with a flag per checked cell that is neither empty nor parsed.
    table = f"norm_{sheet.table}_{match.first_col}"
    stage_sql = ", ".join(f"{expr} AS {name}" for name, expr in stages.items())
    values = "".join(f", {expr} AS {name}" for name, expr in fields.items())
    raws = "".join(f", {name}__raw" for name, _, _, _ in checks)
    keep = ", ".join(["src_row"] + [f"coalesce({n}, {_q(defaults[n])}) AS {n}" if n in defaults else n
                                    for n in fields] + [f"{e} AS {n}" for n, e in extra.items()]
                     + [f"CASE WHEN {n} IS NULL THEN NOT ob_missing({n}__raw) ELSE false END AS {n}__bad"
                        for n, _, _, _ in checks])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS SELECT {keep} FROM (
                      SELECT src_row{values}{raws} FROM (
                        SELECT rowid + 1 AS src_row, {stage_sql} FROM {sheet.table} WHERE {where_sql}))""")
    if checks:
        flagged = " OR ".join(f"{n}__bad" for n, _, _, _ in checks)
        if con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {flagged} LIMIT 1)").fetchall()[0][0]:
            union = " UNION ALL ".join(
                f"SELECT t.src_row, {_q(header)} AS col, g.c{col} AS value, {_q(expected)} AS expected "
                f"FROM {table} t JOIN {sheet.table} g ON g.rowid + 1 = t.src_row WHERE t.{name}__bad"
                for name, col, header, expected in checks)
            bad = con.execute(union + " ORDER BY src_row LIMIT 5").fetchall()
            con.execute(f"DROP TABLE {table}")
            first = bad[0]
            more = "" if len(bad) == 1 else " Also: " + "; ".join(
                f"row {r}, column '{c}': {v!r}" for r, c, v, _ in bad[1:]) + "."
            where_in = f", sheet '{sheet.name}'" if book.kind in ("xlsx", "xls", "spreadsheetml") else ""
            raise Rejected(f"{file_name}{where_in}: row {first[0]}, column '{first[1]}': the value {first[2]!r} is not "
                           f"{first[3]}. Nothing was imported.{more}")
    if no_period:
        con.execute(f"DROP TABLE {table}")
        raise Rejected(f"{file_name}: no reporting period (like 'July 8, 2025 - July 31, 2025') above the header.")
    if layout.sum_per_key:
        _sum_per_key(con, table, relation, list(fields) + list(extra), layout.sum_per_key)
    return table, list(fields) + list(extra)


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
