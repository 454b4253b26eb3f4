-- Core store: imports with their history, accounts, saved column mappings, and the
-- relations of the data contract (account_daily, posts, spend, imports) plus the team's
-- own figures. Generated once from store/relations.py; tests check the two agree.
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO meta VALUES ('data_version', 0);
CREATE SEQUENCE import_id_seq START 1;
CREATE TABLE imports (
  import_id BIGINT PRIMARY KEY,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  platform VARCHAR,
  report VARCHAR,
  account VARCHAR,
  target VARCHAR,
  rows BIGINT,
  inserted BIGINT,
  updated BIGINT,
  duplicates BIGINT,
  fields VARCHAR[],
  encoding VARCHAR,
  origin VARCHAR,
  imported_at TIMESTAMP NOT NULL,
  status VARCHAR NOT NULL,
  undone_at TIMESTAMP
);
CREATE TABLE accounts (
  platform VARCHAR NOT NULL,
  account VARCHAR NOT NULL,
  created_at TIMESTAMP DEFAULT now(),
  PRIMARY KEY (platform, account)
);
CREATE SEQUENCE mapping_id_seq START 1;
CREATE TABLE saved_mappings (
  mapping_id BIGINT PRIMARY KEY,
  platform VARCHAR NOT NULL,
  report VARCHAR NOT NULL,
  target VARCHAR NOT NULL,
  headers VARCHAR[] NOT NULL,
  field_headers JSON NOT NULL,
  field_types JSON NOT NULL,
  created_at TIMESTAMP DEFAULT now()
);
CREATE TABLE account_daily_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  followers_new BIGINT,
  followers_lost BIGINT,
  followers_net BIGINT,
  followers_total BIGINT,
  posts BIGINT,
  impressions BIGINT,
  views BIGINT,
  likes BIGINT,
  comments BIGINT,
  shares BIGINT,
  favorites BIGINT,
  profile_views BIGINT,
  engagements BIGINT
);
CREATE INDEX account_daily_facts_import ON account_daily_facts (import_id);
CREATE TABLE account_daily (
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  followers_new BIGINT,
  followers_lost BIGINT,
  followers_net BIGINT,
  followers_total BIGINT,
  posts BIGINT,
  impressions BIGINT,
  views BIGINT,
  likes BIGINT,
  comments BIGINT,
  shares BIGINT,
  favorites BIGINT,
  profile_views BIGINT,
  engagements BIGINT,
  import_id BIGINT,
  PRIMARY KEY (platform, account, date)
);
CREATE TABLE posts_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  platform VARCHAR,
  account VARCHAR,
  post_id VARCHAR,
  published_at TIMESTAMP,
  title VARCHAR,
  format VARCHAR,
  url VARCHAR,
  is_original BOOLEAN,
  impressions BIGINT,
  views BIGINT,
  readers BIGINT,
  reach BIGINT,
  likes BIGINT,
  comments BIGINT,
  shares BIGINT,
  favorites BIGINT,
  followers_new BIGINT,
  delivered BIGINT,
  message_reads BIGINT,
  original_page_reads BIGINT,
  completion_rate DOUBLE,
  avg_view_seconds DOUBLE
);
CREATE INDEX posts_facts_import ON posts_facts (import_id);
CREATE TABLE posts (
  platform VARCHAR,
  account VARCHAR,
  post_id VARCHAR,
  published_at TIMESTAMP,
  title VARCHAR,
  format VARCHAR,
  url VARCHAR,
  is_original BOOLEAN,
  impressions BIGINT,
  views BIGINT,
  readers BIGINT,
  reach BIGINT,
  likes BIGINT,
  comments BIGINT,
  shares BIGINT,
  favorites BIGINT,
  followers_new BIGINT,
  delivered BIGINT,
  message_reads BIGINT,
  original_page_reads BIGINT,
  completion_rate DOUBLE,
  avg_view_seconds DOUBLE,
  import_id BIGINT,
  PRIMARY KEY (platform, account, post_id)
);
CREATE TABLE spend_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  source VARCHAR,
  date DATE,
  budget_line VARCHAR,
  channel VARCHAR,
  amount DOUBLE,
  currency VARCHAR,
  note VARCHAR
);
CREATE INDEX spend_facts_import ON spend_facts (import_id);
CREATE TABLE spend (
  source VARCHAR,
  date DATE,
  budget_line VARCHAR,
  channel VARCHAR,
  amount DOUBLE,
  currency VARCHAR,
  note VARCHAR,
  import_id BIGINT,
  PRIMARY KEY (source, date, budget_line, channel)
);
CREATE TABLE business_daily_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  visitors BIGINT,
  registrations BIGINT,
  active_users BIGINT,
  total_users BIGINT,
  orders BIGINT,
  gmv DOUBLE
);
CREATE INDEX business_daily_facts_import ON business_daily_facts (import_id);
CREATE TABLE business_daily (
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  visitors BIGINT,
  registrations BIGINT,
  active_users BIGINT,
  total_users BIGINT,
  orders BIGINT,
  gmv DOUBLE,
  import_id BIGINT,
  PRIMARY KEY (platform, account, date)
);
CREATE TABLE channel_daily_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  date DATE,
  channel VARCHAR,
  followers_new BIGINT,
  registrations BIGINT,
  orders BIGINT
);
CREATE INDEX channel_daily_facts_import ON channel_daily_facts (import_id);
CREATE TABLE channel_daily (
  date DATE,
  channel VARCHAR,
  followers_new BIGINT,
  registrations BIGINT,
  orders BIGINT,
  import_id BIGINT,
  PRIMARY KEY (date, channel)
);
CREATE TABLE traffic_daily_facts (
  import_id BIGINT NOT NULL,
  src_row BIGINT,
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  source VARCHAR,
  readers BIGINT,
  reads BIGINT
);
CREATE INDEX traffic_daily_facts_import ON traffic_daily_facts (import_id);
CREATE TABLE traffic_daily (
  platform VARCHAR,
  account VARCHAR,
  date DATE,
  source VARCHAR,
  readers BIGINT,
  reads BIGINT,
  import_id BIGINT,
  PRIMARY KEY (platform, account, date, source)
);
