-- The history tables are looked up by import id only to undo an import or to show where a
-- figure came from. Import ids grow in insertion order, so DuckDB's per-block min/max
-- (zone maps) already find an import's rows without an index; the ART indexes, on the other
-- hand, were rewritten whole at every checkpoint, which made each COMMIT of a big import
-- slower the bigger the store grew.
DROP INDEX IF EXISTS account_daily_facts_import;
DROP INDEX IF EXISTS posts_facts_import;
DROP INDEX IF EXISTS spend_facts_import;
DROP INDEX IF EXISTS business_daily_facts_import;
DROP INDEX IF EXISTS channel_daily_facts_import;
DROP INDEX IF EXISTS traffic_daily_facts_import;
