"""The schema: migrations apply once, and store/relations.py matches the tables it describes."""
from __future__ import annotations

from store import schema
from store.relations import RELATIONS


def test_relations_match_the_tables(con):
    for rel in RELATIONS.values():
        columns = con.execute(f"SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '{rel.name}'"
                              ).fetchall()
        assert dict(columns) == {**rel.columns, "import_id": "BIGINT", "src_row": "BIGINT"}, rel.name
        facts = dict(con.execute(f"SELECT column_name, data_type FROM duckdb_columns() "
                                 f"WHERE table_name = '{rel.name}_facts'").fetchall())
        assert facts == {"import_id": "BIGINT", "src_row": "BIGINT", **rel.columns}, rel.name


def test_data_contract_columns_exist(con):
    contract = {
        "account_daily": "date platform account followers_new followers_lost followers_net followers_total posts "
                         "impressions views likes comments shares favorites",
        "posts": "post_id platform account published_at title format views likes comments shares favorites",
        "spend": "date budget_line channel amount",
        "imports": "import_id file_name sha256 platform report rows imported_at status",
    }
    for table, cols in contract.items():
        have = {r[0] for r in con.execute(f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}'").fetchall()}
        assert set(cols.split()) <= have, table


def test_migrations_apply_once(con):
    assert schema.migrate(con) == []
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert versions == [v for v, _ in schema.migration_files()]


def test_current_tables_lose_their_key_index_and_keep_their_rows(tmp_path):
    import duckdb
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT now())")
    for version, path in schema.migration_files():
        if version <= 60:                                     # a store as it was before migration 070
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [version])
    con.execute("INSERT INTO posts (platform, account, post_id, views, import_id) VALUES "
                "('wechat', 'Sub', 'p2', 30, 7), ('wechat', 'Sub', 'p1', 12, 7)")
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'posts' "
                       "AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0] == 1
    assert schema.migrate(con) == [v for v, _ in schema.migration_files() if v > 60]
    assert con.execute("SELECT post_id, views, import_id FROM posts ORDER BY post_id").fetchall() == [
        ("p1", 12, 7), ("p2", 30, 7)]
    for rel in RELATIONS.values():
        assert con.execute(f"SELECT count(*) FROM duckdb_constraints() WHERE table_name = '{rel.name}' "
                           "AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0] == 0, rel.name
    con.close()
