"""Step 4 of an import: load typed rows into a relation's history and rebuild its current rows.

Every import's rows go to ``R_facts`` with the import id. The current table ``R`` holds, per
natural key and column, the figure of the newest *active* import that provides that column
(a column a layout does not map is not "provided", so a views-only file never blanks the
followers an earlier file gave). Undoing an import marks it undone and rebuilds the keys it
touched, which brings back what the earlier imports said.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from store.errors import Rejected
from store.relations import RELATIONS, Relation

DEFAULT_KEY_VALUES = {"channel": "'(none)'", "budget_line": "'(unassigned)'", "source": "'total'"}


@dataclass
class Part:
    """Typed rows for one relation from one recognised block (see normalise)."""
    table: str
    provided: list[str]
    order: int
    where: tuple[tuple[str, str], ...] = ()
    rename: tuple[tuple[str, str], ...] = ()  # (relation field, part field)


@dataclass
class LoadCount:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0


def _lit(value) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _part_select(rel: Relation, part: Part, platform: str, account: str | None, source: str) -> str:
    rename = dict(part.rename)
    cols = {}
    for name in rel.columns:
        src = rename.get(name, name) if rename else name
        if src in part.provided:
            cols[name] = f"coalesce({src}, {DEFAULT_KEY_VALUES[name]})" if name in DEFAULT_KEY_VALUES and name in rel.key else src
        elif name == "platform":
            cols[name] = _lit(platform)
        elif name == "account":
            cols[name] = _lit(account)
        elif name == "source" and rel.name == "spend":
            cols[name] = _lit(source)
        elif name in DEFAULT_KEY_VALUES and name in rel.key:
            cols[name] = DEFAULT_KEY_VALUES[name]
        else:
            cols[name] = f"CAST(NULL AS {rel.columns[name]})"
    where = " AND ".join(f"{f} = {_lit(v)}" for f, v in part.where) or "true"
    spread = rel.name == "spend" and "date" not in part.provided and "date_start" in part.provided
    if spread:
        days = "(date_diff('day', date_start, date_end) + 1)"
        cols["date"] = "CAST(unnest(generate_series(date_start, date_end, INTERVAL 1 DAY)) AS DATE)"
        cols["amount"] = f"amount / {days}"
    select = ", ".join(f"{expr} AS {name}" for name, expr in cols.items())
    return f"SELECT {part.order} AS ord, src_row, {select} FROM {part.table} WHERE {where}"


def stage(con, rel: Relation, parts: list[Part], platform: str, account: str | None,
          source: str, file_name: str) -> tuple[str, list[str], LoadCount]:
    """Union, check and de-duplicate the parts for ``rel`` into a temp table; return it and the fields provided."""
    union = " UNION ALL ".join(_part_select(rel, p, platform, account, source) for p in parts)
    staged = f"stage_{rel.name}_{uuid.uuid4().hex[:8]}"
    con.execute(f"CREATE TEMP TABLE {staged}_all AS {union}")
    missing_key = " OR ".join(f"{k} IS NULL" for k in rel.key)
    bad = con.execute(f"SELECT src_row, {', '.join(rel.key)} FROM {staged}_all WHERE {missing_key} "
                      f"ORDER BY src_row LIMIT 1").fetchall()
    if bad:
        row = bad[0]
        missing = [k for k, v in zip(rel.key, row[1:]) if v is None]
        raise Rejected(f"{file_name}: row {row[0]}: no {missing[0].replace('_', ' ')} in this row, "
                       f"so it cannot be stored in {rel.name}. Nothing was imported.")
    keys = ", ".join(rel.key)
    total, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({keys})) FROM {staged}_all").fetchall()[0]
    if total == distinct:
        # Every key once: the rows are the staged rows as they are (what the grouping below gives).
        con.execute(f"CREATE TEMP TABLE {staged} AS SELECT {keys}, {', '.join(rel.fields)}, src_row FROM {staged}_all")
        repeated = 0
    else:
        aggs = []
        for name in rel.fields:
            if rel.duplicates == "sum" and name == "amount":
                aggs.append(f"sum({name}) AS {name}")
            else:
                aggs.append(f"arg_max({name}, CAST(ord AS BIGINT) * 1000000000 + src_row) "
                            f"FILTER (WHERE {name} IS NOT NULL) AS {name}")
        con.execute(f"""CREATE TEMP TABLE {staged} AS SELECT {keys}, {', '.join(aggs)}, min(src_row) AS src_row
                        FROM {staged}_all GROUP BY {keys}""")
        # Duplicates are counted within each block: several blocks (sheets, side-by-side tables)
        # giving different figures of the same key are merged, not duplicates.
        repeated = con.execute(f"""SELECT coalesce(sum(n - k), 0) FROM (
            SELECT count(*) AS n, count(DISTINCT ({keys})) AS k FROM {staged}_all GROUP BY ord)""").fetchall()[0][0]
    con.execute(f"DROP TABLE {staged}_all")
    provided = set()
    for p in parts:
        if p.rename:
            provided |= {f for f, src in p.rename if src in p.provided}
        else:
            provided |= {f for f in p.provided if f in rel.fields}
    if rel.name == "spend":
        provided.add("amount")
    return staged, sorted(provided), LoadCount(rows=distinct, duplicates=int(repeated))


def write_facts(con, rel: Relation, staged: str, import_id: int) -> None:
    """Append the staged rows to ``R_facts`` under ``import_id``."""
    cols = ", ".join(rel.columns)
    con.execute(f"INSERT INTO {rel.name}_facts (import_id, src_row, {cols}) SELECT ?, src_row, {cols} FROM {staged}",
                [import_id])


def apply_import(con, rel: Relation, staged: str, import_id: int) -> tuple[int, int]:
    """Bring the current rows of ``rel`` up to date after ``import_id`` wrote ``staged`` to the
    history; return (inserted, updated).

    A key the current table does not hold yet has no figure from any active import but this
    one, so its current row is the staged row as it is (what :func:`rebuild` would compute,
    without reading the history). Keys the table holds are rebuilt from the history.
    """
    keys = ", ".join(rel.key)
    tag = uuid.uuid4().hex[:8]
    join = " AND ".join(f"t.{k} = s.{k}" for k in rel.key)
    con.execute(f"CREATE TEMP TABLE held_{tag} AS SELECT {', '.join('t.' + k for k in rel.key)} "
                f"FROM {rel.name} t SEMI JOIN {staged} s ON {join}")
    held = con.execute(f"SELECT count(*) FROM held_{tag}").fetchall()[0][0]
    select_fields = [f"coalesce({name}, {rel.derived[name]}) AS {name}" if name in rel.derived else name
                     for name in rel.fields]
    new_only = "" if not held else f" ANTI JOIN held_{tag} t ON {join}"
    inserted = con.execute(f"""INSERT INTO {rel.name} ({keys}, {', '.join(rel.fields)}, import_id)
                               SELECT {', '.join('s.' + k for k in rel.key)}, {', '.join(select_fields)}, {int(import_id)}
                               FROM {staged} s{new_only}""").fetchall()[0][0]
    updated = 0
    if held:
        _, updated = rebuild(con, rel, f"SELECT {keys} FROM held_{tag}")
    con.execute(f"DROP TABLE held_{tag}")
    return inserted, updated


def rebuild(con, rel: Relation, keys_sql: str) -> tuple[int, int]:
    """Rebuild the current rows of ``rel`` for the keys selected by ``keys_sql``; return (inserted, updated)."""
    keys = ", ".join(rel.key)
    tag = uuid.uuid4().hex[:8]
    con.execute(f"CREATE TEMP TABLE keys_{tag} AS SELECT DISTINCT {keys} FROM ({keys_sql})")
    join = " AND ".join(f"t.{k} = k.{k}" for k in rel.key)
    con.execute(f"CREATE TEMP TABLE old_{tag} AS SELECT t.* FROM {rel.name} t SEMI JOIN keys_{tag} k ON {join}")
    con.execute(f"DELETE FROM {rel.name} t USING keys_{tag} k WHERE {join}")
    picks = []
    for name in rel.fields:
        picks.append(f"arg_max_null(f.{name}, f.import_id) FILTER (WHERE list_contains(i.fields, '{rel.name}.{name}')) AS {name}")
    select_fields = []
    for name in rel.fields:
        select_fields.append(f"coalesce({name}, {rel.derived[name]}) AS {name}" if name in rel.derived else name)
    fkeys = ", ".join(f"f.{k}" for k in rel.key)
    fjoin = " AND ".join(f"f.{k} = k.{k}" for k in rel.key)
    con.execute(f"""
        INSERT INTO {rel.name} ({keys}, {', '.join(rel.fields)}, import_id)
        SELECT {keys}, {', '.join(select_fields)}, import_id FROM (
          SELECT {fkeys}, {', '.join(picks)}, max(f.import_id) AS import_id
          FROM {rel.name}_facts f JOIN imports i ON i.import_id = f.import_id AND i.status = 'active'
          SEMI JOIN keys_{tag} k ON {fjoin}
          GROUP BY {fkeys})""")
    cols = ", ".join(rel.columns)
    ojoin = " AND ".join(f"o.{k} = n.{k}" for k in rel.key)
    inserted = con.execute(f"""SELECT count(*) FROM {rel.name} n SEMI JOIN keys_{tag} k ON {join.replace('t.', 'n.')}
                               WHERE NOT EXISTS (SELECT 1 FROM old_{tag} o WHERE {ojoin})""").fetchall()[0][0]
    changed = con.execute(f"""SELECT count(*) FROM (
                                SELECT {cols} FROM {rel.name} n SEMI JOIN keys_{tag} k ON {join.replace('t.', 'n.')}
                                EXCEPT SELECT {cols} FROM old_{tag})""").fetchall()[0][0]
    con.execute(f"DROP TABLE keys_{tag}")
    con.execute(f"DROP TABLE old_{tag}")
    return inserted, changed - inserted


def relation(name: str) -> Relation:
    return RELATIONS[name]
