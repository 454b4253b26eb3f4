"""Column mappings users save for layouts the importer does not know (Weibo's own export, say).

A mapping names the platform, the relation it feeds and, per canonical field, the header it
comes from and how to parse it. Saved mappings are layouts like the built-in ones: the next
file with the same headers is recognised without asking.
"""
from __future__ import annotations

import json

from store import connection
from store.errors import Rejected
from store.layouts import TYPES
from store.relations import RELATIONS

DEFAULT_TYPES = {"date": "date", "published_at": "datetime", "title": "text", "post_id": "id", "url": "text",
                 "format": "format", "channel": "text", "budget_line": "text", "note": "text", "currency": "text",
                 "source": "text", "is_original": "bool", "completion_rate": "rate", "avg_view_seconds": "duration",
                 "amount": "number", "gmv": "number"}


def mappable_fields(target: str) -> list[str]:
    """Fields of ``target`` a mapping may fill (platform and account come from the upload)."""
    rel = RELATIONS[target]
    return [c for c in rel.columns if c not in ("platform", "account")]


def required_fields(target: str) -> list[str]:
    """Fields a mapping for ``target`` must map: its natural key (a post id may be hashed from title + time)."""
    rel = RELATIONS[target]
    required = [k for k in rel.key if k not in ("platform", "account", "source", "channel", "budget_line")]
    if target == "channel_daily":
        required.append("channel")
    if target == "spend":
        required.append("amount")
    return required


def default_type(field: str, target: str) -> str:
    """How a mapped field is parsed unless the user says otherwise."""
    if field in DEFAULT_TYPES:
        return DEFAULT_TYPES[field]
    return "count" if RELATIONS[target].columns.get(field) == "BIGINT" else "number"


def save_mapping(con, platform: str, report: str, target: str, field_headers: dict[str, str],
                 field_types: dict[str, str] | None = None) -> int:
    """Validate and save a mapping; return its id. Raises ``Rejected`` listing every problem at once."""
    problems = []
    if target not in RELATIONS:
        problems.append(f"unknown relation {target!r}")
    platform = (platform or "").strip().lower()
    if not platform:
        problems.append("choose a platform")
    field_headers = {f: h for f, h in field_headers.items() if h}
    if target in RELATIONS:
        allowed = set(mappable_fields(target))
        problems += [f"{f!r} is not a column of {target}" for f in field_headers if f not in allowed]
        missing = [f for f in required_fields(target) if f not in field_headers]
        if target == "posts" and "post_id" in missing and {"title", "published_at"} <= set(field_headers):
            missing.remove("post_id")
        problems += [f"map a column to {f!r} (it identifies a row)" for f in missing]
        if len(field_headers) < 2:
            problems.append("map at least two columns")
    doubled = {h for h in field_headers.values() if list(field_headers.values()).count(h) > 1}
    problems += [f"the column {h!r} is mapped twice" for h in sorted(doubled)]
    types = {f: (field_types or {}).get(f) or default_type(f, target) for f in field_headers}
    problems += [f"{f}: unknown type {t!r}" for f, t in types.items() if t not in TYPES]
    if problems:
        raise Rejected("The mapping was not saved: " + "; ".join(problems) + ".")
    with connection.transaction(con):
        mapping_id = con.execute("SELECT nextval('mapping_id_seq')").fetchall()[0][0]
        con.execute("""INSERT INTO saved_mappings (mapping_id, platform, report, target, headers, field_headers, field_types)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    [mapping_id, platform, report or "custom", target, list(field_headers.values()),
                     json.dumps(field_headers, ensure_ascii=False), json.dumps(types)])
        connection.bump_data_version(con)
    return mapping_id


def delete_mapping(con, mapping_id: int) -> None:
    with connection.transaction(con):
        con.execute("DELETE FROM saved_mappings WHERE mapping_id = ?", [mapping_id])
        connection.bump_data_version(con)


def list_mappings(con):
    """Saved mappings as a DataFrame."""
    return con.execute("SELECT mapping_id, platform, report, target, field_headers, created_at "
                       "FROM saved_mappings ORDER BY mapping_id").df()
