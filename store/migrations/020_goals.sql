-- Goals: numeric targets with a period, a scope, a rule and an optional floor; their split
-- across the team (child goals) and over time (a mode, or custom parts). Phases gain the
-- basis of their follower target.
ALTER TABLE phases ADD COLUMN follower_basis VARCHAR DEFAULT 'total';  -- total: followers at phase end | gained: net follows in the phase
CREATE SEQUENCE goal_id_seq START 1;
CREATE TABLE goals (
  goal_id BIGINT PRIMARY KEY,
  name VARCHAR,                         -- optional display name; the metric label otherwise
  metric VARCHAR NOT NULL,              -- id in data/metrics/catalog.toml
  scope_kind VARCHAR NOT NULL DEFAULT 'team',  -- team | platform | account | channel | role | person
  scope_ref VARCHAR,                    -- platform id; 'platform/account'; channel; role code; person id
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  phase_id BIGINT,                      -- the phase the period was taken from, if any
  target DOUBLE NOT NULL,               -- for rule 'growth': the growth as a fraction (0.5 = +50 %)
  kind VARCHAR NOT NULL DEFAULT 'outcome',     -- output (business) | outcome (result)
  rule VARCHAR NOT NULL DEFAULT 'reach',       -- reach | at_least | at_most | growth
  floor DOUBLE,                         -- the least acceptable value (higher-is-better goals)
  is_ultimate BOOLEAN NOT NULL DEFAULT FALSE,
  parent_goal_id BIGINT,                -- set on the children of a split across the team
  share DOUBLE,                         -- a child's share of its parent's target (counts)
  split_mode VARCHAR NOT NULL DEFAULT 'even',  -- even | weekday | curve | custom
  split_grain VARCHAR NOT NULL DEFAULT 'month',-- quarter | month | week | day (how parts are shown)
  curve_growth DOUBLE,                  -- 'curve': growth per month, 0.5 = each month +50 % on the one before
  weekday_weights VARCHAR,              -- 'weekday': seven weights Monday..Sunday, e.g. '1,1,1,1,1.2,0.8,0.8'
  note VARCHAR,
  updated_at TIMESTAMP DEFAULT now(),
  CHECK (end_date >= start_date)
);
CREATE TABLE goal_parts (               -- 'custom' split: the target of each part of the period
  goal_id BIGINT NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  target DOUBLE NOT NULL,
  PRIMARY KEY (goal_id, start_date),
  CHECK (end_date >= start_date)
);
