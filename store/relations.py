"""The relations imports write to: natural key, figure columns and their SQL types.

Each relation ``R`` has a history table ``R_facts`` (one row per import and key, with the
import id and source row) and a current table ``R`` (the newest active import's figure for
every column, per key, with the import id and source row of the newest import of the key).
Undoing an import rebuilds the keys it touched from what is left.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Relation:
    name: str
    key: tuple[str, ...]
    key_types: dict[str, str]
    fields: dict[str, str]
    needs_account: bool = True
    duplicates: str = "last"  # within one file: "last" row wins, or "sum" the rows
    derived: dict[str, str] = field(default_factory=dict)  # column -> SQL filling it when NULL

    @property
    def columns(self) -> dict[str, str]:
        return {**self.key_types, **self.fields}


COUNT, NUM, TEXT, DATE, TS, BOOL = "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN"

RELATIONS: dict[str, Relation] = {r.name: r for r in [
    Relation(
        "account_daily", ("platform", "account", "date"),
        {"platform": TEXT, "account": TEXT, "date": DATE},
        {"followers_new": COUNT, "followers_lost": COUNT, "followers_net": COUNT,
         "followers_total": COUNT, "posts": COUNT, "impressions": COUNT, "views": COUNT,
         "likes": COUNT, "comments": COUNT, "shares": COUNT, "favorites": COUNT,
         "profile_views": COUNT, "engagements": COUNT},
        derived={"followers_net": "followers_new - followers_lost"},
    ),
    Relation(
        "posts", ("platform", "account", "post_id"),
        {"platform": TEXT, "account": TEXT, "post_id": TEXT},
        {"published_at": TS, "title": TEXT, "format": TEXT, "url": TEXT, "is_original": BOOL,
         "impressions": COUNT, "views": COUNT, "readers": COUNT, "reach": COUNT,
         "likes": COUNT, "comments": COUNT, "shares": COUNT, "favorites": COUNT,
         "followers_new": COUNT, "delivered": COUNT, "message_reads": COUNT,
         "original_page_reads": COUNT, "completion_rate": NUM, "avg_view_seconds": NUM},
    ),
    Relation(
        "spend", ("source", "date", "budget_line", "channel"),
        {"source": TEXT, "date": DATE, "budget_line": TEXT, "channel": TEXT},
        {"amount": NUM, "currency": TEXT, "note": TEXT},
        needs_account=False, duplicates="sum",
    ),
    Relation(
        "business_daily", ("platform", "account", "date"),
        {"platform": TEXT, "account": TEXT, "date": DATE},
        {"visitors": COUNT, "registrations": COUNT, "active_users": COUNT,
         "total_users": COUNT, "orders": COUNT, "gmv": NUM},
    ),
    Relation(
        "channel_daily", ("date", "channel"),
        {"date": DATE, "channel": TEXT},
        {"followers_new": COUNT, "registrations": COUNT, "orders": COUNT},
        needs_account=False,
    ),
    Relation(
        "traffic_daily", ("platform", "account", "date", "source"),
        {"platform": TEXT, "account": TEXT, "date": DATE, "source": TEXT},
        {"readers": COUNT, "reads": COUNT},
    ),
]}


def ddl() -> str:
    """CREATE statements for every relation's history and current table (as the migrations
    leave them: no table has an index, see 060_facts_without_import_indexes.sql and
    070_current_tables_without_key_index.sql; the current rows' source row came with 080)."""
    out = []
    for rel in RELATIONS.values():
        cols = ",\n  ".join(f"{c} {t}" for c, t in rel.columns.items())
        out.append(f"CREATE TABLE {rel.name}_facts (\n  import_id BIGINT NOT NULL,\n  src_row BIGINT,\n  {cols}\n);")
        out.append(f"CREATE TABLE {rel.name} (\n  {cols},\n  import_id BIGINT,\n  src_row BIGINT\n);")
    return "\n".join(out)
