-- What a review of decisions asked for (issue 7).

-- The card is posted with a key stored first, so that posting it again
-- after a crash cannot make a second card; decisions without a post id are
-- repaired on start.
ALTER TABLE decision ADD COLUMN post_key TEXT NOT NULL DEFAULT '';
UPDATE decision SET post_key = lower(hex(randomblob(12)));
CREATE INDEX decision_unposted ON decision (id) WHERE post_id = '';

-- Reminders the author asked for, in all: there is a cap.
ALTER TABLE decision ADD COLUMN asked_count INTEGER NOT NULL DEFAULT 0;
UPDATE decision SET asked_count = 1 WHERE asked_at > 0;

-- The jobs' queries read only what they need (Due and ReminderDue use
-- decision_open, among the open decisions only).
CREATE INDEX decision_stale ON decision (id) WHERE post_id != '' AND card_revision < revision;
CREATE INDEX decision_team_channel ON decision (team_id, channel_id);
-- Forgetting an anonymous decision's voters at its close rewrites their
-- history voter by voter.
CREATE INDEX stance_change_voter ON stance_change (decision_id, voter);
-- A click counts the tally in its transaction: from the index alone.
CREATE INDEX stance_choice ON stance (decision_id, choice);

-- The voters whose block was told to the author: one notice per voter and
-- decision. For anonymous decisions voter is the HMAC key, and every row of
-- a decision is deleted at its close.
CREATE TABLE block_notice (
	decision_id INTEGER NOT NULL REFERENCES decision (id) ON DELETE CASCADE,
	voter       TEXT    NOT NULL,
	PRIMARY KEY (decision_id, voter)
) WITHOUT ROWID;

-- The register's search: words of the title, details and outcome, kept in
-- step with the decision table by triggers. Only a change of those three
-- columns touches it (not every vote). The text is folded by balise_fold, a
-- function Balise gives SQLite (case folded, accents and other marks
-- removed, in any script: "Égalité" and "egalite", "Ελληνική" and
-- "ΕΛΛΗΝΙΚΗ"); the tokenizer would fold Latin letters only. The table keeps
-- no copy of the text (contentless). Outside Balise (the sqlite3 shell),
-- deleting decisions works; changing their title, details or outcome needs
-- that function.
CREATE VIRTUAL TABLE decision_search USING fts5 (
	title, details, outcome,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO decision_search (rowid, title, details, outcome)
	SELECT id, balise_fold(title), balise_fold(details), balise_fold(outcome) FROM decision;
CREATE TRIGGER decision_search_insert AFTER INSERT ON decision BEGIN
	INSERT INTO decision_search (rowid, title, details, outcome)
	VALUES (new.id, balise_fold(new.title), balise_fold(new.details), balise_fold(new.outcome));
END;
CREATE TRIGGER decision_search_delete AFTER DELETE ON decision BEGIN
	DELETE FROM decision_search WHERE rowid = old.id;
END;
CREATE TRIGGER decision_search_update AFTER UPDATE OF title, details, outcome ON decision BEGIN
	DELETE FROM decision_search WHERE rowid = old.id;
	INSERT INTO decision_search (rowid, title, details, outcome)
	VALUES (new.id, balise_fold(new.title), balise_fold(new.details), balise_fold(new.outcome));
END;

-- Outbox: letters of one thread go out in order (thread is 'dm:' and the
-- member for a direct message, else 'ch:' channel ':' root post, the root
-- being '' for root posts); a letter that can never be posted is kept dead,
-- never retried; the time of the first failure tells the deliverer that a
-- post may already exist.
ALTER TABLE outbox ADD COLUMN thread TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dead_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN first_failed_at INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET thread = CASE WHEN to_user_id != '' THEN 'dm:' || to_user_id
	ELSE 'ch:' || COALESCE(json_extract(message, '$.ChannelID'), '') || ':' || COALESCE(json_extract(message, '$.RootID'), '') END;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (retry_at, id) WHERE sent_at = 0 AND dead_at = 0;
CREATE INDEX outbox_thread ON outbox (thread, id) WHERE sent_at = 0 AND dead_at = 0;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at > 0;
