-- Plan core shared by every view: workspace settings, phases, channels, roles and people.
-- Later migrations add goals, budget lines, KPIs, appraisal, notes and tasks.
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE SEQUENCE phase_id_seq START 1;
CREATE TABLE phases (
  phase_id BIGINT PRIMARY KEY,
  code VARCHAR NOT NULL,            -- seed | initial | brand | custom
  name VARCHAR NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  follower_target BIGINT,
  budget DOUBLE,
  CHECK (end_date >= start_date)
);
CREATE TABLE channels (
  channel VARCHAR PRIMARY KEY,      -- the name used in channel_daily and spend
  kind VARCHAR,                     -- weibo_drive, local_groups, small_accounts, own_groups, weekly_event, local_media, offline, conference, alliance, pr, ads, platform
  description VARCHAR,
  active BOOLEAN DEFAULT TRUE
);
CREATE SEQUENCE role_id_seq START 1;
CREATE TABLE roles (
  role_id BIGINT PRIMARY KEY,
  code VARCHAR UNIQUE NOT NULL,     -- promotion_manager, copywriter, operations, channel_bd, pr_media
  name VARCHAR NOT NULL,
  responsibilities VARCHAR,
  requirements VARCHAR,
  needed_from_phase VARCHAR,        -- phase code by which the role must be in place
  headcount INTEGER DEFAULT 1
);
CREATE SEQUENCE person_id_seq START 1;
CREATE TABLE people (
  person_id BIGINT PRIMARY KEY,
  name VARCHAR NOT NULL,
  role_id BIGINT,
  start_date DATE,
  active BOOLEAN DEFAULT TRUE
);
CREATE TABLE person_accounts (person_id BIGINT, platform VARCHAR, account VARCHAR, PRIMARY KEY (person_id, platform, account));
CREATE TABLE person_channels (person_id BIGINT, channel VARCHAR, PRIMARY KEY (person_id, channel));
