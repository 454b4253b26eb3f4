-- Meetings: the Friday review's notes per role (or person, or the whole team) and week, and
-- tasks delegated with an owner, a due date and an expected target on a catalogue metric.
-- A task's result is the metric over start_date..due_date in its scope, checked from the data
-- after the due date (never typed in): see metrics/tasks.py.

CREATE TABLE meeting_notes (
  week_start DATE NOT NULL,                    -- the Monday of the week
  owner_kind VARCHAR NOT NULL,                 -- team | role | person
  owner_id BIGINT NOT NULL,                    -- role_id or person_id; 0 for the team
  issues VARCHAR,                              -- the week's issues
  next_steps VARCHAR,                          -- what happens next
  updated_by VARCHAR,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (week_start, owner_kind, owner_id),
  CHECK (owner_kind IN ('team', 'role', 'person')),
  CHECK (isodow(week_start) = 1)
);

CREATE SEQUENCE task_id_seq START 1;
CREATE TABLE tasks (
  task_id BIGINT PRIMARY KEY,
  title VARCHAR NOT NULL,
  owner_person_id BIGINT,                      -- who the task is delegated to
  metric_id VARCHAR NOT NULL,                  -- catalogue metric the target is set on
  scope_kind VARCHAR NOT NULL DEFAULT 'person',-- team | platform | account | channel | role | person (as goals)
  scope_ref VARCHAR,
  start_date DATE NOT NULL,                    -- the result is measured from this day ...
  due_date DATE NOT NULL,                      -- ... to the due date, inclusive
  target DOUBLE NOT NULL,
  direction VARCHAR NOT NULL DEFAULT 'higher', -- higher: met when result >= target; lower: <=
  note VARCHAR,
  created_by VARCHAR,
  created_at TIMESTAMP NOT NULL,
  cancelled_by VARCHAR,                        -- a cancelled task is kept but no longer checked
  cancelled_at TIMESTAMP,
  CHECK (due_date >= start_date),
  CHECK (direction IN ('higher', 'lower')),
  CHECK (scope_kind IN ('team', 'platform', 'account', 'channel', 'role', 'person'))
);
