-- The tool catalogue. Rows with team_id '' are the server's, shared by
-- every team: the shipped entries and what is imported from the terminal.
-- A team's admins add and edit entries for their team only: a row with
-- their team_id adds an entry or stands, for that team, in place of the
-- shared one with the same id. Each entry is kept as the JSON of the data
-- file. shipped_hash is the hash of the entry as Balise shipped it when it
-- was loaded; edited_locally marks entries added, edited or imported,
-- which an upgrade never overwrites.
CREATE TABLE tool (
	team_id        TEXT    NOT NULL DEFAULT '',
	id             TEXT    NOT NULL,
	data           TEXT    NOT NULL,
	shipped_hash   TEXT    NOT NULL DEFAULT '',
	edited_locally INTEGER NOT NULL DEFAULT 0,
	updated_at     INTEGER NOT NULL, -- unix milliseconds
	PRIMARY KEY (team_id, id)
);

-- Changes whenever the catalogue does, so that a running Balise rebuilds
-- its search index after an import from the terminal.
CREATE TABLE catalogue_version (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 0);

-- What members of a team say of a tool they use.
CREATE TABLE tool_feedback (
	id         INTEGER PRIMARY KEY,
	tool_id    TEXT    NOT NULL,
	team_id    TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	created_at INTEGER NOT NULL -- unix milliseconds
);
CREATE INDEX tool_feedback_tool ON tool_feedback (tool_id, team_id, created_at);
