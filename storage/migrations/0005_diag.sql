-- The digital diagnostic: dated campaigns of a team (V1, V2...), each
-- answered by several members with a role. Every row names its team.
CREATE TABLE diag_campaign (
	id         INTEGER PRIMARY KEY,
	team_id    TEXT    NOT NULL,
	number     INTEGER NOT NULL, -- V1, V2... within the team
	name       TEXT    NOT NULL DEFAULT '',
	channel_id TEXT    NOT NULL,
	opener_id  TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	version    INTEGER NOT NULL, -- the questionnaire version it uses
	min_group  INTEGER NOT NULL CHECK (min_group >= 2), -- anonymity threshold
	created_at INTEGER NOT NULL, -- unix milliseconds
	closes_at  INTEGER NOT NULL,
	closed_at  INTEGER NOT NULL DEFAULT 0,
	reminders  INTEGER NOT NULL DEFAULT 0, -- reminders sent
	UNIQUE (team_id, number)
);
-- One open campaign per team.
CREATE UNIQUE INDEX diag_campaign_open ON diag_campaign (team_id) WHERE closed_at = 0;
CREATE INDEX diag_campaign_due ON diag_campaign (closed_at, closes_at);

-- The members invited by direct message.
CREATE TABLE diag_invitee (
	campaign_id INTEGER NOT NULL REFERENCES diag_campaign (id) ON DELETE CASCADE,
	team_id     TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	PRIMARY KEY (campaign_id, user_id)
);

-- A respondent's sheet: created with their role, the first thing asked.
CREATE TABLE diag_respondent (
	campaign_id INTEGER NOT NULL REFERENCES diag_campaign (id) ON DELETE CASCADE,
	team_id     TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	role        TEXT    NOT NULL CHECK (role IN ('board', 'staff', 'volunteer', 'referent')),
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, user_id)
);

-- One current answer per respondent and question: answering again replaces it.
CREATE TABLE diag_answer (
	campaign_id INTEGER NOT NULL,
	team_id     TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	question_id TEXT    NOT NULL,
	option_id   TEXT    NOT NULL, -- or 'dontknow', 'notconcerned'
	answered_at INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, user_id, question_id),
	FOREIGN KEY (campaign_id, user_id) REFERENCES diag_respondent (campaign_id, user_id) ON DELETE CASCADE
);

-- "Where should we be in 12 months?", per respondent and dimension.
CREATE TABLE diag_target (
	campaign_id INTEGER NOT NULL,
	team_id     TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	dimension   TEXT    NOT NULL,
	target      INTEGER NOT NULL, -- 0-100, or -1 for "don't know"
	answered_at INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, user_id, dimension),
	FOREIGN KEY (campaign_id, user_id) REFERENCES diag_respondent (campaign_id, user_id) ON DELETE CASCADE
);

-- The per-tool inventory: one entry per respondent and tool.
CREATE TABLE diag_tool_use (
	campaign_id INTEGER NOT NULL,
	team_id     TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	tool_key    TEXT    NOT NULL, -- catalogue id, or 'name:' and the folded typed name
	tool_id     TEXT    NOT NULL DEFAULT '',
	name        TEXT    NOT NULL,
	category    TEXT    NOT NULL DEFAULT '',
	need        TEXT    NOT NULL DEFAULT '',
	how         TEXT    NOT NULL DEFAULT '',
	limits      TEXT    NOT NULL DEFAULT '',
	future      TEXT    NOT NULL DEFAULT '',
	frequency   TEXT    NOT NULL DEFAULT '',
	position    INTEGER NOT NULL, -- the order they were listed in
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, user_id, tool_key),
	FOREIGN KEY (campaign_id, user_id) REFERENCES diag_respondent (campaign_id, user_id) ON DELETE CASCADE
);
