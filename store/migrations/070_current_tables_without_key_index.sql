-- The current tables lose their primary keys. The loader already writes one row per natural
-- key (a file's repeated keys are merged in staging; a key the table holds is updated in place,
-- a new one inserted through an anti-join), and tests/test_import_paths.py checks that after every
-- kind of import and undo. The key's ART index, on the other hand, cost a 100k-row import about
-- a third of its time (building it, then writing it at COMMIT), and no query looks rows up by it:
-- the views aggregate over date ranges, which DuckDB's zone maps serve. Rows are rewritten in
-- date order (publication time for posts), the order imports mostly add them in, so that those
-- zone maps skip the row groups outside a window.

CREATE TABLE account_daily__keyless AS SELECT * FROM account_daily ORDER BY date, platform, account;
DROP TABLE account_daily;
ALTER TABLE account_daily__keyless RENAME TO account_daily;
CREATE TABLE posts__keyless AS SELECT * FROM posts ORDER BY published_at, platform, account, post_id;
DROP TABLE posts;
ALTER TABLE posts__keyless RENAME TO posts;
CREATE TABLE spend__keyless AS SELECT * FROM spend ORDER BY date, source, budget_line, channel;
DROP TABLE spend;
ALTER TABLE spend__keyless RENAME TO spend;
CREATE TABLE business_daily__keyless AS SELECT * FROM business_daily ORDER BY date, platform, account;
DROP TABLE business_daily;
ALTER TABLE business_daily__keyless RENAME TO business_daily;
CREATE TABLE channel_daily__keyless AS SELECT * FROM channel_daily ORDER BY date, channel;
DROP TABLE channel_daily;
ALTER TABLE channel_daily__keyless RENAME TO channel_daily;
CREATE TABLE traffic_daily__keyless AS SELECT * FROM traffic_daily ORDER BY date, platform, account, source;
DROP TABLE traffic_daily;
ALTER TABLE traffic_daily__keyless RENAME TO traffic_daily;
