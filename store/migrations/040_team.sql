-- Team and appraisal: KPI sets (per role, or a person's own set that replaces the role's),
-- manual KPI inputs, bonus rules, month locks with frozen snapshots and the revision log.
-- Roles, people, person_accounts and person_channels live in 010_plan_core.sql.

CREATE SEQUENCE kpi_id_seq START 1;
CREATE TABLE kpis (
  kpi_id BIGINT PRIMARY KEY,
  role_id BIGINT,                              -- the role's set ...
  person_id BIGINT,                            -- ... or one person's own set (replaces the role's)
  position INTEGER NOT NULL DEFAULT 0,
  name VARCHAR NOT NULL,
  metric_id VARCHAR NOT NULL,                  -- catalogue id, or 'manual:<input key>'
  platform VARCHAR,                            -- narrows the scope to accounts on this platform
  scope VARCHAR NOT NULL DEFAULT 'person',     -- person (their accounts/channels) | team
  target DOUBLE NOT NULL,
  weight DOUBLE NOT NULL,                      -- percent; the weights of one set sum to 100
  direction VARCHAR NOT NULL DEFAULT 'higher', -- higher | lower (stay below the target)
  cap DOUBLE NOT NULL DEFAULT 1.2,             -- achievement cap: 1.2 = 120 %
  floor_value DOUBLE,                          -- actual worse than this (metric units) scores 0
  min_achievement DOUBLE,                      -- achievement below this fraction scores 0
  missing_rule VARCHAR NOT NULL DEFAULT 'zero',-- no data: zero (scores 0) | excluded (weight re-spread)
  period VARCHAR NOT NULL DEFAULT 'month',     -- the target is per month | week | day
  CHECK ((role_id IS NULL) <> (person_id IS NULL)),
  CHECK (scope IN ('person', 'team')),
  CHECK (direction IN ('higher', 'lower')),
  CHECK (missing_rule IN ('zero', 'excluded')),
  CHECK (period IN ('month', 'week', 'day')),
  CHECK (weight >= 0 AND weight <= 100),
  CHECK (cap >= 1)
);

-- Manual KPI inputs: every entry is kept; the latest entry per person, key and month counts.
CREATE SEQUENCE kpi_input_id_seq START 1;
CREATE TABLE kpi_inputs (
  input_id BIGINT PRIMARY KEY,
  person_id BIGINT NOT NULL,
  input_key VARCHAR NOT NULL,                  -- event_results, enquiries, pr_placements, ...
  month DATE NOT NULL,                         -- first day of the month
  value DOUBLE,                                -- NULL clears an earlier entry
  note VARCHAR,
  entered_by VARCHAR,
  entered_at TIMESTAMP NOT NULL
);

-- Bonus: base per person (else the workspace default in settings 'appraisal.bonus_base'),
-- mode in settings 'appraisal.bonus_mode' (linear: base × score; bands: base × multiplier).
CREATE TABLE person_pay (person_id BIGINT PRIMARY KEY, bonus_base DOUBLE NOT NULL);
CREATE TABLE bonus_bands (min_score DOUBLE PRIMARY KEY, multiplier DOUBLE NOT NULL);

-- Month locks. Every lock, unlock and correction is a logged revision with who and why;
-- a locked month reads its latest snapshot, never the live data.
CREATE SEQUENCE appraisal_revision_seq START 1;
CREATE TABLE appraisal_revisions (
  revision_id BIGINT PRIMARY KEY,
  month DATE NOT NULL,
  action VARCHAR NOT NULL,                     -- lock | unlock | correction
  who VARCHAR NOT NULL,
  why VARCHAR,
  made_at TIMESTAMP NOT NULL,
  CHECK (action IN ('lock', 'unlock', 'correction'))
);
CREATE TABLE appraisal_locks (
  month DATE PRIMARY KEY,
  revision_id BIGINT NOT NULL                  -- the snapshot in force
);
CREATE TABLE appraisal_snapshot_people (
  revision_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  name VARCHAR,
  role VARCHAR,
  score DOUBLE,
  bonus_base DOUBLE,
  bonus DOUBLE,
  bonus_rule VARCHAR,
  kpis_missing INTEGER,
  counted_from DATE,                           -- first day counted (start date when joining mid-month)
  PRIMARY KEY (revision_id, person_id)
);
CREATE TABLE appraisal_snapshot_kpis (
  revision_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  kpi_id BIGINT NOT NULL,
  position INTEGER,
  name VARCHAR,
  metric_id VARCHAR,
  platform VARCHAR,
  scope VARCHAR,
  scope_text VARCHAR,
  period VARCHAR,
  target DOUBLE,
  weight DOUBLE,
  direction VARCHAR,
  cap DOUBLE,
  floor_value DOUBLE,
  min_achievement DOUBLE,
  missing_rule VARCHAR,
  actual DOUBLE,
  achievement DOUBLE,
  points DOUBLE,
  effective_weight DOUBLE,
  contribution DOUBLE,
  status VARCHAR,
  sources VARCHAR,                             -- JSON list of where the figure came from
  corrected BOOLEAN DEFAULT FALSE,
  PRIMARY KEY (revision_id, person_id, kpi_id)
);
