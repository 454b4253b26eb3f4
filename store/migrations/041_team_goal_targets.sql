-- A KPI can take its monthly target from a goal (its share of the month, or the level or
-- rate it plans for the month); the snapshot keeps which goal gave the target.
ALTER TABLE kpis ADD COLUMN goal_id BIGINT;
ALTER TABLE appraisal_snapshot_kpis ADD COLUMN target_goal_id BIGINT;
