-- Settings Balise keeps for itself: the key that signs buttons, the bot's
-- identity and token.
CREATE TABLE setting (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The slash commands registered in each team, with the token Mattermost
-- sends with them.
CREATE TABLE slash_command (
	team_id    TEXT NOT NULL,
	trigger    TEXT NOT NULL,
	command_id TEXT NOT NULL,
	token      TEXT NOT NULL,
	PRIMARY KEY (team_id, trigger)
);

-- What members choose in Balise, per team.
CREATE TABLE member_preference (
	team_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	lang    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (team_id, user_id)
);
