-- Provenance on the current rows, and history written when it is first needed.
--
-- Each current row now says which row of which import its newest figures came from
-- (import_id, src_row). An import whose rows are all new to a relation (the usual weekly
-- export) no longer writes the same rows to the history as well: the current rows are
-- exactly what the history would hold, so the import is listed in pending_facts and its
-- history rows are written from the current rows ("settled", store/loader.py) before anything
-- changes them: a later import of the same keys, a rebuild, or the import's own undo.
CREATE TABLE pending_facts (
  import_id BIGINT NOT NULL,
  relation VARCHAR NOT NULL,
  PRIMARY KEY (import_id, relation)
);
ALTER TABLE account_daily ADD COLUMN src_row BIGINT;
UPDATE account_daily SET src_row = f.src_row FROM account_daily_facts f WHERE f.import_id = account_daily.import_id AND f.platform = account_daily.platform AND f.account = account_daily.account AND f.date = account_daily.date;
ALTER TABLE posts ADD COLUMN src_row BIGINT;
UPDATE posts SET src_row = f.src_row FROM posts_facts f WHERE f.import_id = posts.import_id AND f.platform = posts.platform AND f.account = posts.account AND f.post_id = posts.post_id;
ALTER TABLE spend ADD COLUMN src_row BIGINT;
UPDATE spend SET src_row = f.src_row FROM spend_facts f WHERE f.import_id = spend.import_id AND f.source = spend.source AND f.date = spend.date AND f.budget_line = spend.budget_line AND f.channel = spend.channel;
ALTER TABLE business_daily ADD COLUMN src_row BIGINT;
UPDATE business_daily SET src_row = f.src_row FROM business_daily_facts f WHERE f.import_id = business_daily.import_id AND f.platform = business_daily.platform AND f.account = business_daily.account AND f.date = business_daily.date;
ALTER TABLE channel_daily ADD COLUMN src_row BIGINT;
UPDATE channel_daily SET src_row = f.src_row FROM channel_daily_facts f WHERE f.import_id = channel_daily.import_id AND f.date = channel_daily.date AND f.channel = channel_daily.channel;
ALTER TABLE traffic_daily ADD COLUMN src_row BIGINT;
UPDATE traffic_daily SET src_row = f.src_row FROM traffic_daily_facts f WHERE f.import_id = traffic_daily.import_id AND f.platform = traffic_daily.platform AND f.account = traffic_daily.account AND f.date = traffic_daily.date AND f.source = traffic_daily.source;
