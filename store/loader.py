"""Step 4 of an import: load typed rows into a relation's current rows and its history.

The current table ``R`` holds, per natural key and column, the figure of the newest *active*
import that provides that column (a column a layout does not map is not "provided", so a
views-only file never blanks the followers an earlier file gave), with the import id and
source row of the newest import that wrote the key. The history ``R_facts`` holds every
import's rows, so that undoing an import (which marks it undone and rebuilds the keys it
touched) brings back what the earlier imports said.

An import whose rows are all new to ``R`` is not copied to the history at once: its current
rows are exactly what the history would hold, so the import is listed in ``pending_facts``
and :func:`settle` writes its history rows from the current rows before anything changes
them (a later import of the same keys, a rebuild, or its own undo).
"""
from __future__ import annotations

import re
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
    """Union, check and de-duplicate the parts for ``rel``; return what to read the rows from
    (a temp view or table: drop it with :func:`drop_staged`), the fields provided and the counts.

    The rows are a view over the parts when every key occurs once (nothing is copied); only a
    file that repeats keys gets a table of the combined rows.
    """
    union = " UNION ALL ".join(_part_select(rel, p, platform, account, source) for p in parts)
    base = f"stage_{rel.name}_{uuid.uuid4().hex[:8]}"
    rows = f"{base}_all"
    con.execute(f"CREATE TEMP VIEW {rows} AS {union}")
    try:
        keys = ", ".join(rel.key)
        missing_key = " OR ".join(f"{k} IS NULL" for k in rel.key)
        total, distinct, first_missing = con.execute(
            f"SELECT count(*), count(DISTINCT ({keys})), min(src_row) FILTER (WHERE {missing_key}) "
            f"FROM {rows}").fetchall()[0]
        if first_missing is not None:
            row = con.execute(f"SELECT src_row, {keys} FROM {rows} WHERE {missing_key} "
                              f"ORDER BY src_row, ord LIMIT 1").fetchall()[0]
            missing = [k for k, v in zip(rel.key, row[1:]) if v is None]
            raise Rejected(f"{file_name}: row {row[0]}: no {missing[0].replace('_', ' ')} in this row, "
                           f"so it cannot be stored in {rel.name}. Nothing was imported.")
        if total == distinct:
            # Every key once: the rows are the staged rows as they are (what the grouping below gives).
            staged, repeated = rows, 0
        else:
            aggs = []
            for name in rel.fields:
                if rel.duplicates == "sum" and name == "amount":
                    aggs.append(f"sum({name}) AS {name}")
                else:
                    aggs.append(f"arg_max({name}, CAST(ord AS BIGINT) * 1000000000 + src_row) "
                                f"FILTER (WHERE {name} IS NOT NULL) AS {name}")
            con.execute(f"""CREATE TEMP TABLE {base} AS SELECT {keys}, {', '.join(aggs)}, min(src_row) AS src_row
                            FROM {rows} GROUP BY {keys}""")
            # Duplicates are counted within each block: several blocks (sheets, side-by-side tables)
            # giving different figures of the same key are merged, not duplicates.
            repeated = con.execute(f"""SELECT coalesce(sum(n - k), 0) FROM (
                SELECT count(*) AS n, count(DISTINCT ({keys})) AS k FROM {rows} GROUP BY ord)""").fetchall()[0][0]
            staged = base
    except BaseException:
        drop_staged(con, rows)
        raise
    provided = set()
    for p in parts:
        if p.rename:
            provided |= {f for f, src in p.rename if src in p.provided}
        else:
            provided |= {f for f in p.provided if f in rel.fields}
    if rel.name == "spend":
        provided.add("amount")
    return staged, sorted(provided), LoadCount(rows=distinct, duplicates=int(repeated))


def drop_staged(con, staged: str) -> None:
    """Drop what :func:`stage` created (the view of the parts, and the combined table if any)."""
    base = staged.removesuffix("_all")
    if base == staged:
        con.execute(f"DROP TABLE IF EXISTS {base}")
    con.execute(f"DROP VIEW IF EXISTS {base}_all")


def write_facts(con, rel: Relation, staged: str, import_id: int) -> None:
    """Append the staged rows to ``R_facts`` under ``import_id``."""
    cols = ", ".join(rel.columns)
    con.execute(f"INSERT INTO {rel.name}_facts (import_id, src_row, {cols}) SELECT ?, src_row, {cols} FROM {staged}",
                [import_id])


def can_defer_facts(rel: Relation, provided: list[str]) -> bool:
    """Whether the current rows of an all-new import tell its history rows exactly: not when the
    import provides a derived figure (net follows), whose empty cells the current row fills in."""
    return not set(provided) & set(rel.derived)


def settle(con, rel: Relation, keys_sql: str | None = None, import_ids: list[int] | None = None) -> int:
    """Write the history rows of the pending imports of ``rel`` — those holding a current row among
    the keys ``keys_sql`` selects, or those in ``import_ids`` — from their current rows; return
    how many imports were settled. A derived figure the import did not provide is NULL in its
    history row, as :func:`write_facts` would have written it."""
    query = "SELECT import_id FROM pending_facts WHERE relation = ?"
    params: list = [rel.name]
    if import_ids is not None:
        query += f" AND import_id IN ({', '.join(str(int(i)) for i in import_ids) or 'NULL'})"
    pending = [r[0] for r in con.execute(query, params).fetchall()]
    if pending and keys_sql is not None:
        join = " AND ".join(f"t.{k} = k.{k}" for k in rel.key)
        pending = [r[0] for r in con.execute(
            f"SELECT DISTINCT t.import_id FROM {rel.name} t SEMI JOIN ({keys_sql}) k ON {join} "
            f"WHERE t.import_id IN ({', '.join(str(int(i)) for i in pending)})").fetchall()]
    cols = ", ".join(rel.columns)
    for import_id in pending:
        fields = con.execute("SELECT fields FROM imports WHERE import_id = ?", [import_id]).fetchall()[0][0] or []
        provided = {f.split(".", 1)[1] for f in fields if f.startswith(rel.name + ".")}
        values = ", ".join(f"CAST(NULL AS {rel.columns[name]})" if name in rel.derived and name not in provided else name
                           for name in rel.columns)
        con.execute(f"INSERT INTO {rel.name}_facts (import_id, src_row, {cols}) "
                    f"SELECT import_id, src_row, {values} FROM {rel.name} WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM pending_facts WHERE import_id = ? AND relation = ?", [import_id, rel.name])
    return len(pending)


def apply_import(con, rel: Relation, staged: str, import_id: int, provided: list[str],
                 rows: int) -> tuple[int, int, str | None]:
    """Bring the current rows and the history of ``rel`` up to date with the ``rows`` staged rows
    of ``import_id``; return (inserted, updated, keys still to :func:`rebuild` or None).

    A key the current table does not hold yet has no figure from any active import but this
    one, so its current row is the staged row as it is (what :func:`rebuild` would compute,
    without reading the history). When every key is new, the history waits (``pending_facts``).
    A key it holds keeps its figures except those this import provides: this import is the
    newest, so its figure wins for every field it provides (an empty cell too), which is again
    what :func:`rebuild` computes. Only when a derived figure (net followers) depends on a
    provided figure without being provided itself is the key rebuilt from the history, because
    the table no longer tells a derived figure from a given one.
    """
    keys = ", ".join(rel.key)
    join = " AND ".join(f"t.{k} = s.{k}" for k in rel.key)
    select_fields = [f"coalesce({name}, {rel.derived[name]}) AS {name}" if name in rel.derived else name
                     for name in rel.fields]
    inserted = con.execute(f"""INSERT INTO {rel.name} ({keys}, {', '.join(rel.fields)}, import_id, src_row)
                               SELECT {', '.join('s.' + k for k in rel.key)}, {', '.join(select_fields)}, {int(import_id)},
                                      s.src_row
                               FROM {staged} s ANTI JOIN {rel.name} t ON {join}""").fetchall()[0][0]
    if inserted == rows and can_defer_facts(rel, provided):
        con.execute("INSERT INTO pending_facts VALUES (?, ?)", [import_id, rel.name])
        return inserted, 0, None
    write_facts(con, rel, staged, import_id)
    if inserted == rows:
        return inserted, 0, None
    held = f"t.import_id <> {int(import_id)}"
    settle(con, rel, f"SELECT {', '.join('s.' + k for k in rel.key)} FROM {staged} s")
    if any(name not in provided and _inputs(rel, name) & set(provided) for name in rel.derived):
        return inserted, 0, (f"SELECT {', '.join('s.' + k for k in rel.key)} FROM {staged} s "
                             f"SEMI JOIN {rel.name} t ON {join} AND {held}")
    new = {}
    for name in rel.fields:
        if name in rel.derived and name in provided:
            inputs = {f: (f"s.{f}" if f in provided else f"t.{f}") for f in _inputs(rel, name)}
            expr = re.sub(r"\b(\w+)\b", lambda m: inputs.get(m.group(1), m.group(1)), rel.derived[name])
            new[name] = f"coalesce(s.{name}, {expr})"
        elif name in provided:
            new[name] = f"s.{name}"
    updated = 0
    if new:
        changed = " OR ".join(f"t.{name} IS DISTINCT FROM {expr}" for name, expr in new.items())
        sets = ", ".join(f"{name} = {expr}" for name, expr in new.items())
        updated = con.execute(f"""UPDATE {rel.name} AS t SET {sets}, import_id = {int(import_id)}, src_row = s.src_row
                                  FROM {staged} s WHERE {join} AND {held} AND ({changed})""").fetchall()[0][0]
    # the held keys whose figures did not change: their newest import is this one all the same
    con.execute(f"UPDATE {rel.name} AS t SET import_id = {int(import_id)}, src_row = s.src_row FROM {staged} s "
                f"WHERE {join} AND {held}")
    return inserted, updated, None


def _inputs(rel: Relation, name: str) -> set[str]:
    """The fields the derived figure ``name`` is computed from."""
    return set(re.findall(r"\w+", rel.derived[name])) & set(rel.fields)


def rebuild(con, rel: Relation, keys_sql: str) -> tuple[int, int]:
    """Rebuild the current rows of ``rel`` for the keys selected by ``keys_sql``; return (inserted, updated)."""
    keys = ", ".join(rel.key)
    tag = uuid.uuid4().hex[:8]
    con.execute(f"CREATE TEMP TABLE keys_{tag} AS SELECT DISTINCT {keys} FROM ({keys_sql})")
    settle(con, rel, f"SELECT * FROM keys_{tag}")
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
        INSERT INTO {rel.name} ({keys}, {', '.join(rel.fields)}, import_id, src_row)
        SELECT {keys}, {', '.join(select_fields)}, import_id, src_row FROM (
          SELECT {fkeys}, {', '.join(picks)}, max(f.import_id) AS import_id, arg_max(f.src_row, f.import_id) AS src_row
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
