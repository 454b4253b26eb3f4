-- Budget lines: each phase's budget broken into line items (PRODUCT.md, method point 3).
-- `item` is the name the spend ledger uses in spend.budget_line; spend is matched to a line
-- by that name within the phase's dates. `phase_id` refers to phases(phase_id). It is kept
-- as a checked reference in store/plan_budget.py, not a declared FOREIGN KEY: DuckDB refuses
-- to delete a referenced parent row even after its children were deleted in the same
-- transaction, which would stop the phase editor from replacing phases atomically.
-- Reads join phases, so lines of a deleted phase are never shown.
CREATE SEQUENCE budget_line_id_seq START 1;
CREATE TABLE budget_lines (
  line_id BIGINT PRIMARY KEY,
  phase_id BIGINT NOT NULL,
  item VARCHAR NOT NULL,
  category VARCHAR NOT NULL CHECK (category IN ('placements', 'prizes', 'coupons', 'red_packets',
                                                'events', 'tools', 'salaries', 'other')),
  channel VARCHAR,                  -- channels.channel the line pays for; NULL = no single channel
  amount DOUBLE NOT NULL CHECK (amount >= 0),
  importance VARCHAR NOT NULL DEFAULT 'important' CHECK (importance IN ('important', 'optional')),
  expected_followers BIGINT CHECK (expected_followers IS NULL OR expected_followers >= 0),
  note VARCHAR,
  UNIQUE (phase_id, item)
);
