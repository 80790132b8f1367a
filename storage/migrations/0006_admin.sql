-- What the operator watches (issue 11): when each periodic job last ran,
-- last succeeded and how it last failed, written by balise serve and read
-- by balise check.
CREATE TABLE job_run (
	name        TEXT    PRIMARY KEY,
	every_ms    INTEGER NOT NULL,
	last_run_at INTEGER NOT NULL, -- unix milliseconds
	last_ok_at  INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	failing_since INTEGER NOT NULL DEFAULT 0
);
