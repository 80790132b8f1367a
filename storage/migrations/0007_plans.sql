-- Migration plans: a team moves to a tool in numbered steps.
CREATE TABLE plan (
	id            INTEGER PRIMARY KEY,
	team_id       TEXT    NOT NULL,
	number        INTEGER NOT NULL,
	channel_id    TEXT    NOT NULL,
	post_id       TEXT    NOT NULL DEFAULT '',
	creator_id    TEXT    NOT NULL,
	lang          TEXT    NOT NULL,
	time_zone     TEXT    NOT NULL, -- the creator's: due dates are days there
	title         TEXT    NOT NULL,
	tool_id       TEXT    NOT NULL DEFAULT '',
	decision_id   INTEGER NOT NULL DEFAULT 0,
	start_day     TEXT    NOT NULL, -- 2006-01-02
	target        INTEGER NOT NULL,
	created_at    INTEGER NOT NULL, -- unix milliseconds
	archived_at   INTEGER NOT NULL DEFAULT 0,
	revision      INTEGER NOT NULL DEFAULT 0,
	card_revision INTEGER NOT NULL DEFAULT 0,
	UNIQUE (team_id, number)
);
CREATE INDEX plan_stale_card ON plan (post_id, card_revision, revision);

CREATE TABLE plan_referent (
	plan_id  INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
	team_id  TEXT    NOT NULL,
	user_id  TEXT    NOT NULL,
	position INTEGER NOT NULL, -- the first one owns the template's steps
	PRIMARY KEY (plan_id, user_id)
);
CREATE INDEX plan_referent_user ON plan_referent (team_id, user_id);

CREATE TABLE plan_step (
	plan_id  INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
	team_id  TEXT    NOT NULL,
	number   INTEGER NOT NULL,
	kind     TEXT    NOT NULL DEFAULT '', -- the template step, '' for one added by hand
	title    TEXT    NOT NULL,
	owner_id TEXT    NOT NULL DEFAULT '',
	due_day  TEXT    NOT NULL DEFAULT '', -- 2006-01-02, '' for none
	done_at  INTEGER NOT NULL DEFAULT 0,
	done_by  TEXT    NOT NULL DEFAULT '',
	blocked  TEXT    NOT NULL DEFAULT '', -- why the owner is stuck
	PRIMARY KEY (plan_id, number)
);

-- One adoption estimate per plan and week (its Monday): what a referent
-- declares, never anyone's tracked use.
CREATE TABLE plan_check_in (
	plan_id  INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
	team_id  TEXT    NOT NULL,
	week     TEXT    NOT NULL,
	estimate TEXT    NOT NULL,
	used     INTEGER NOT NULL,
	user_id  TEXT    NOT NULL,
	at       INTEGER NOT NULL,
	PRIMARY KEY (plan_id, week)
);

-- The follow-ups and weekly nudges Balise owes, each with the moment it
-- falls due. A row is made once (sent_at), and its key holds the step's due
-- date, so that a moved due date arms a new ladder. Nudges have plan_id 0.
CREATE TABLE plan_send (
	id        INTEGER PRIMARY KEY,
	team_id   TEXT    NOT NULL,
	plan_id   INTEGER NOT NULL,
	step      INTEGER NOT NULL,
	kind      TEXT    NOT NULL,
	recipient TEXT    NOT NULL, -- a member, '' for the plan's thread
	due_day   TEXT    NOT NULL, -- the step's due date; a nudge's week
	send_at   INTEGER NOT NULL, -- unix milliseconds
	sent_at   INTEGER NOT NULL DEFAULT 0,
	UNIQUE (team_id, plan_id, step, kind, recipient, due_day)
);
CREATE INDEX plan_send_due ON plan_send (send_at) WHERE sent_at = 0;
CREATE INDEX plan_send_plan ON plan_send (plan_id, step);

-- At most one message from the plans per recipient and local day: a member,
-- or 'plan:<id>' for a plan's thread.
CREATE TABLE plan_letter (
	team_id   TEXT NOT NULL,
	recipient TEXT NOT NULL,
	day       TEXT NOT NULL,
	PRIMARY KEY (team_id, recipient, day)
);

-- When members accept Balise's direct messages (/balise settings); no row
-- means the defaults.
CREATE TABLE reminder_setting (
	team_id    TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	quiet_from INTEGER NOT NULL,
	quiet_to   INTEGER NOT NULL,
	days       INTEGER NOT NULL, -- bit 1 << weekday (Sunday 0)
	muted      INTEGER NOT NULL,
	nudge_day  INTEGER NOT NULL,
	nudge_at   INTEGER NOT NULL, -- minutes after local midnight
	PRIMARY KEY (team_id, user_id)
);

-- Absences: a member's, or the whole team's when user_id is ''.
CREATE TABLE away (
	team_id    TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	from_day   TEXT NOT NULL,
	until_day  TEXT NOT NULL,
	PRIMARY KEY (team_id, user_id)
);
