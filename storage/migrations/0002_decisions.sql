-- Decisions, Loomio-style: proposals and polls put to a channel.
CREATE TABLE decision (
	id            INTEGER PRIMARY KEY,
	team_id       TEXT    NOT NULL,
	number        INTEGER NOT NULL,
	channel_id    TEXT    NOT NULL,
	post_id       TEXT    NOT NULL DEFAULT '',
	author_id     TEXT    NOT NULL,
	lang          TEXT    NOT NULL,
	time_zone     TEXT    NOT NULL,
	title         TEXT    NOT NULL,
	details       TEXT    NOT NULL DEFAULT '',
	kind          TEXT    NOT NULL CHECK (kind IN ('proposal', 'poll')),
	options       TEXT    NOT NULL, -- JSON array of strings
	anonymous     INTEGER NOT NULL,
	hidden        INTEGER NOT NULL,
	quorum        INTEGER NOT NULL,
	-- For anonymous decisions, voters are keyed by HMAC(secret, user id);
	-- the secret is erased at the close, so nobody can link them after.
	secret        BLOB,
	created_at    INTEGER NOT NULL, -- unix milliseconds
	closes_at     INTEGER NOT NULL,
	reminded_at   INTEGER NOT NULL DEFAULT 0,
	asked_at      INTEGER NOT NULL DEFAULT 0, -- last reminder the author asked for
	closed_at     INTEGER NOT NULL DEFAULT 0,
	outcome       TEXT    NOT NULL DEFAULT '',
	revision      INTEGER NOT NULL DEFAULT 0,
	card_revision INTEGER NOT NULL DEFAULT 0,
	UNIQUE (team_id, number)
);
CREATE INDEX decision_open ON decision (closed_at, closes_at);

-- The members who may vote, fixed when the decision opens.
CREATE TABLE decision_voter (
	decision_id INTEGER NOT NULL REFERENCES decision (id) ON DELETE CASCADE,
	user_id     TEXT    NOT NULL,
	PRIMARY KEY (decision_id, user_id)
);

-- Each voter's current stance: one row per voter, so no double vote.
CREATE TABLE stance (
	decision_id INTEGER NOT NULL REFERENCES decision (id) ON DELETE CASCADE,
	voter       TEXT    NOT NULL, -- user id, or its HMAC for anonymous decisions
	choice      INTEGER NOT NULL,
	reason      TEXT    NOT NULL DEFAULT '',
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (decision_id, voter)
);

-- Every change of stance, with its time.
CREATE TABLE stance_change (
	id          INTEGER PRIMARY KEY,
	decision_id INTEGER NOT NULL REFERENCES decision (id) ON DELETE CASCADE,
	voter       TEXT    NOT NULL,
	choice      INTEGER NOT NULL,
	at          INTEGER NOT NULL
);

-- What Balise must post, stored before it is sent, deleted once sent.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	post_key   TEXT    NOT NULL, -- random; Mattermost deduplicates retries on it
	team_id    TEXT    NOT NULL,
	to_user_id TEXT    NOT NULL DEFAULT '',
	message    TEXT    NOT NULL, -- JSON of the message
	created_at INTEGER NOT NULL,
	sent_at    INTEGER NOT NULL DEFAULT 0,
	post_id    TEXT    NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0,
	retry_at   INTEGER NOT NULL DEFAULT 0, -- after a failure, not before this time
	last_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (sent_at, retry_at, id);
