package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"balise/bot"
	"balise/storage"
)

// MustDrain posts every pending letter, thread by thread, and returns them
// in the order they would go out.
func MustDrain(tb testing.TB, db *storage.DB) []bot.Letter {
	tb.Helper()
	var all []bot.Letter
	for range 1000 {
		letters, err := db.Pending(context.Background(), 50)
		if err != nil {
			tb.Fatal(err)
		}
		if len(letters) == 0 {
			return all
		}
		for _, l := range letters {
			if err := db.Sent(context.Background(), l.ID, "post"); err != nil {
				tb.Fatal(err)
			}
		}
		all = append(all, letters...)
	}
	tb.Fatal("the outbox never empties")
	return nil
}

func texts(letters []bot.Letter) []string {
	var out []string
	for _, l := range letters {
		out = append(out, l.Message.Text)
	}
	return out
}

// Reads run beside a writer: a long write transaction does not hold them up.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", true))
	db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 0}, bot.StanceNews{})
	db.Enqueue(ctx, "A", bot.Envelope{Message: bot.Message{ChannelID: "ch", Text: "x"}})

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)

	for name, read := range map[string]func(context.Context) error{
		"Tally":        func(ctx context.Context) error { _, err := db.Tally(ctx, d.ID); return err },
		"StanceOf":     func(ctx context.Context) error { _, _, err := db.StanceOf(ctx, d.ID, "a"); return err },
		"Undecided":    func(ctx context.Context) error { _, err := db.Undecided(ctx, d.ID); return err },
		"DecisionByID": func(ctx context.Context) error { _, err := db.DecisionByID(ctx, d.ID); return err },
		"ListDecisions": func(ctx context.Context) error {
			_, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Open: true, AnyChannel: true})
			return err
		},
		"DecisionChannels": func(ctx context.Context) error { _, err := db.DecisionChannels(ctx, "A"); return err },
		"Pending":          func(ctx context.Context) error { _, err := db.Pending(ctx, 10); return err },
		"DeadLetters":      func(ctx context.Context) error { _, err := db.DeadLetters(ctx); return err },
		"Due":              func(ctx context.Context) error { _, err := db.Due(ctx, clock); return err },
		"Tools":            func(ctx context.Context) error { _, _, err := db.Tools(ctx, "A"); return err },
		"Lang":             func(ctx context.Context) error { _, err := db.Lang(ctx, "A", "a"); return err },
		"Ping":             db.Ping,
	} {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		start := time.Now()
		err := read(ctx)
		cancel()
		if took := time.Since(start); err != nil || took > time.Second {
			t.Errorf("%s while another connection writes: took %v, %v; want an answer at once", name, took, err)
		}
	}
}

// Concurrent writers queue on the one writer connection: none fails busy.
func TestConcurrentStancesAllLand(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := newDecision("A", false)
	d.Voters = nil
	for i := range 40 {
		d.Voters = append(d.Voters, "v"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	MustCreate(t, db, d)
	errs := make(chan error, len(d.Voters))
	for _, v := range d.Voters {
		go func() {
			_, err := db.TakeStance(ctx, d.ID, v, bot.Stance{Choice: 0}, bot.StanceNews{})
			errs <- err
		}()
	}
	for range d.Voters {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if tally, _ := db.Tally(ctx, d.ID); tally.Voted != len(d.Voters) {
		t.Errorf("voted = %d, want %d", tally.Voted, len(d.Voters))
	}
}

func mode(tb testing.TB, path string) os.FileMode {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "balise")
	path := filepath.Join(dir, "balise.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetLang(ctx, "A", "a", bot.English); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if got := mode(t, p); got != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), got)
		}
	}
	for _, p := range []string{dir, filepath.Dir(dir)} {
		if got := mode(t, p); got != 0o700 {
			t.Errorf("directory %s created with mode %o, want 700", p, got)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, backup); got != 0o600 {
		t.Errorf("backup: mode %o, want 600", got)
	}
	if err := db.Backup(ctx, backup); err == nil {
		t.Error("a backup overwrote an existing file")
	}

	// A database an older Balise created readable by all is narrowed.
	old := filepath.Join(t.TempDir(), "old.db")
	raw, _ := sql.Open("sqlite", old+"?_pragma=journal_mode(WAL)")
	raw.Exec(`CREATE TABLE x (y)`)
	raw.Close()
	os.Chmod(old, 0o644)
	db2, err := storage.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	db2.SetLang(ctx, "A", "a", bot.English)
	for _, p := range []string{old, old + "-wal", old + "-shm"} {
		if got := mode(t, p); got != 0o600 {
			t.Errorf("existing %s: mode %o, want 600", filepath.Base(p), got)
		}
	}
}

func readFile(tb testing.TB, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	return b
}

// After the close of an anonymous decision, neither its secret nor any
// voter's key is left in the bytes of the database or its WAL, even when a
// reader was on an older snapshot as it closed.
func TestClosedAnonymousDecisionLeavesNoTraceOnDisk(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", true))
	notice := &bot.Envelope{ToUserID: "author", Message: bot.Message{Text: "blocked"}}
	for _, v := range []struct {
		user   string
		choice int
	}{{"a", 3}, {"b", 0}, {"author", 1}, {"a", 0}} {
		if _, err := db.TakeStance(ctx, d.ID, v.user, bot.Stance{Choice: v.choice}, bot.StanceNews{BlockNotice: notice}); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var secret []byte
	if err := raw.QueryRow(`SELECT secret FROM decision WHERE id = ?`, d.ID).Scan(&secret); err != nil || len(secret) != 32 {
		t.Fatalf("secret before the close: %x, %v", secret, err)
	}
	secrets := [][]byte{secret}
	rows, err := raw.Query(`SELECT voter FROM stance UNION SELECT voter FROM block_notice`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		secrets = append(secrets, []byte(k))
	}
	rows.Close()
	if len(secrets) != 4 {
		t.Fatalf("got %d secrets and keys, want the secret and 3 voter keys", len(secrets))
	}
	onDisk := func() []byte { return append(readFile(t, path), readFile(t, path+"-wal")...) }
	if !bytes.Contains(onDisk(), []byte(secrets[1])) {
		t.Fatal("the voter keys are not on disk before the close: the test would prove nothing")
	}

	// A reader on the snapshot before the close, which lets go soon after.
	reader, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	reader.ExecContext(ctx, `BEGIN`)
	var n int
	reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM stance`).Scan(&n)
	release := time.AfterFunc(300*time.Millisecond, func() { reader.ExecContext(ctx, `COMMIT`) })
	defer release.Stop()

	if closed, err := db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil }); !closed || err != nil {
		t.Fatalf("close = %v, %v", closed, err)
	}
	files := map[string][]byte{"balise.db": readFile(t, path), "balise.db-wal": readFile(t, path+"-wal")}
	for name, b := range files {
		for i, s := range secrets {
			if bytes.Contains(b, s) {
				what := "a voter's key"
				if i == 0 {
					what = "the decision's secret"
				}
				t.Errorf("%s still holds %s after the close", name, what)
			}
		}
	}
	if tally, _ := db.Tally(ctx, d.ID); tally.Voted != 3 {
		t.Errorf("tally after the close = %+v, want 3 voters kept", tally)
	}
}

// A letter that can never be posted is kept dead: counted, never retried,
// and it no longer holds back its thread.
func TestDeadLettersAreKeptAndNeverRetried(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	now := clock
	db.Now = func() time.Time { return now }
	thread := bot.Message{ChannelID: "archived", RootID: "card"}
	first, second := thread, thread
	first.Text, second.Text = "first", "second"
	db.Enqueue(ctx, "A", bot.Envelope{Message: first}, bot.Envelope{Message: second})
	letters, _ := db.Pending(ctx, 10)
	if len(letters) != 1 || letters[0].Message.Text != "first" {
		t.Fatalf("pending = %v, want [first]", texts(letters))
	}
	if err := db.Failed(ctx, letters[0].ID, "404 channel archived", true); err != nil {
		t.Fatal(err)
	}
	if n, err := db.DeadLetters(ctx); n != 1 || err != nil {
		t.Errorf("dead letters = %d, %v; want 1", n, err)
	}
	letters, _ = db.Pending(ctx, 10)
	if len(letters) != 1 || letters[0].Message.Text != "second" {
		t.Fatalf("after the first died, pending = %v, want [second]", texts(letters))
	}
	db.Failed(ctx, letters[0].ID, "403", true)
	for range 5 {
		now = now.Add(24 * time.Hour)
		if letters, _ := db.Pending(ctx, 10); len(letters) != 0 {
			t.Fatalf("a dead letter is retried: %v", texts(letters))
		}
	}
	if n, _ := db.DeadLetters(ctx); n != 2 {
		t.Errorf("dead letters = %d, want 2 kept", n)
	}
}

// Letters of one thread go out in order: a failed letter holds back the
// later ones of its thread, not those of others. A letter tried before
// says so, with when it was queued and first failed.
func TestLettersOfAThreadGoInOrder(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	now := clock
	db.Now = func() time.Time { return now }
	reply := func(root, text string) bot.Envelope {
		return bot.Envelope{Message: bot.Message{ChannelID: "ch", RootID: root, Text: text}}
	}
	dm := func(text string) bot.Envelope { return bot.Envelope{ToUserID: "u", Message: bot.Message{Text: text}} }
	db.Enqueue(ctx, "A", reply("r", "r1"), reply("r", "r2"), reply("", "root1"), dm("dm1"), dm("dm2"), reply("r2", "other"), reply("", "root2"))
	letters, _ := db.Pending(ctx, 50)
	if got, want := texts(letters), []string{"r1", "root1", "dm1", "other"}; !slices.Equal(got, want) {
		t.Fatalf("first round = %v, want %v (the oldest of each thread)", got, want)
	}
	if letters[0].MayBePosted() || !letters[0].QueuedAt.Equal(clock) {
		t.Errorf("a fresh letter: %+v", letters[0])
	}
	now = now.Add(time.Second)
	db.Failed(ctx, letters[0].ID, "timeout", false)
	for _, l := range letters[1:] {
		db.Sent(ctx, l.ID, "p")
	}
	letters, _ = db.Pending(ctx, 50)
	if got, want := texts(letters), []string{"dm2", "root2"}; !slices.Equal(got, want) {
		t.Errorf("second round = %v, want %v: r2 waits behind r1", got, want)
	}
	for _, l := range letters {
		db.Sent(ctx, l.ID, "p")
	}
	if letters, _ := db.Pending(ctx, 50); len(letters) != 0 {
		t.Errorf("while r1 waits, pending = %v, want none", texts(letters))
	}
	now = now.Add(time.Hour)
	letters, _ = db.Pending(ctx, 50)
	if len(letters) != 1 || letters[0].Message.Text != "r1" {
		t.Fatalf("after the wait, pending = %v, want [r1]", texts(letters))
	}
	l := letters[0]
	if !l.MayBePosted() || l.Attempts != 1 || !l.FirstFailedAt.Equal(clock.Add(time.Second)) || !l.QueuedAt.Equal(clock) || l.Message.Key == "" {
		t.Errorf("a letter tried before: attempts %d, first failed %v, queued %v, key %q", l.Attempts, l.FirstFailedAt, l.QueuedAt, l.Message.Key)
	}
	if got := texts(MustDrain(t, db)); !slices.Equal(got, []string{"r1", "r2"}) {
		t.Errorf("then = %v, want [r1 r2]", got)
	}
}

func TestOutcomeIsQueuedWithIt(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	post := bot.Envelope{Message: bot.Message{ChannelID: "ch", RootID: d.PostID, Text: "outcome"}}
	if err := db.SetOutcome(ctx, d.ID, "Adopté", post); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("outcome while open: got %v, want conflict", err)
	}
	if letters := MustDrain(t, db); len(letters) != 0 {
		t.Errorf("a refused outcome queued %v", texts(letters))
	}
	db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil })
	if err := db.SetOutcome(ctx, d.ID, "Adopté", post); err != nil {
		t.Fatal(err)
	}
	if got := texts(MustDrain(t, db)); !slices.Equal(got, []string{"outcome"}) {
		t.Errorf("queued = %v, want [outcome]", got)
	}
}

// Toggling Block and Agree tells the author once per voter; a reason post
// goes with its stance.
func TestBlockIsToldOncePerVoter(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		db, path := MustOpen(t)
		ctx := context.Background()
		d := MustCreate(t, db, newDecision("A", anonymous))
		notice := func(who string) bot.StanceNews {
			return bot.StanceNews{BlockNotice: &bot.Envelope{ToUserID: "author", Message: bot.Message{Text: "block " + who}}}
		}
		for range 5 {
			if taken, err := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 3}, notice("a")); err != nil || MustTally(t, db, d.ID).Counts[3] != 1 {
				t.Fatalf("block: %+v, %v", taken, err)
			}
			db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 0}, bot.StanceNews{})
		}
		db.TakeStance(ctx, d.ID, "b", bot.Stance{Choice: 3}, notice("b"))
		reason := bot.StanceNews{Posts: []bot.Envelope{{Message: bot.Message{ChannelID: "ch", RootID: d.PostID, Text: "reason"}}}}
		taken, err := db.TakeStance(ctx, d.ID, "author", bot.Stance{Choice: 0, Reason: "why"}, reason)
		if tl := MustTally(t, db, d.ID); err != nil || !taken.Changed || tl.Voted != 3 || tl.Counts[0] != 2 {
			t.Errorf("anonymous %v: reason stance = %+v, %v", anonymous, taken, err)
		}
		got := texts(MustDrain(t, db))
		slices.Sort(got)
		if !slices.Equal(got, []string{"block a", "block b", "reason"}) {
			t.Errorf("anonymous %v: letters = %v, want one notice per voter and the reason", anonymous, got)
		}
		raw, _ := sql.Open("sqlite", path)
		var byID int
		raw.QueryRow(`SELECT COUNT(*) FROM block_notice WHERE voter IN ('a', 'b')`).Scan(&byID)
		if anonymous && byID != 0 {
			t.Error("an anonymous decision remembers blockers by user id")
		}
		db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil })
		var left int
		raw.QueryRow(`SELECT COUNT(*) FROM block_notice`).Scan(&left)
		raw.Close()
		if left != 0 {
			t.Errorf("anonymous %v: %d block notices remembered after the close", anonymous, left)
		}
	}
}

func TestTakeStanceChecksTheVoterAndChoice(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	if _, err := db.TakeStance(ctx, d.ID, "stranger", bot.Stance{Choice: 0}, bot.StanceNews{}); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("a member not eligible: got %v, want forbidden", err)
	}
	if _, err := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 4}, bot.StanceNews{}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("a choice out of range: got %v, want invalid", err)
	}
	if _, err := db.TakeStance(ctx, 999, "a", bot.Stance{Choice: 0}, bot.StanceNews{}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("an unknown decision: got %v, want not found", err)
	}
}

func errorKey(err error) string {
	if e, ok := err.(*bot.Error); ok {
		return e.Key
	}
	return ""
}

func TestAskedRemindersAreCapped(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	env := []bot.Envelope{{ToUserID: "a", Message: bot.Message{Text: "vote"}}}
	for i := range bot.MaxAskedReminders {
		db.Now = func() time.Time { return clock.Add(time.Duration(i) * 11 * time.Minute) }
		if ok, err := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute); !ok || err != nil {
			t.Fatalf("ask %d = %v, %v", i+1, ok, err)
		}
	}
	db.Now = func() time.Time { return clock.Add(40 * time.Minute) }
	ok, err := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute)
	if ok || bot.ErrorCode(err) != bot.ECONFLICT || errorKey(err) != "decide.error.reminders_used" {
		t.Errorf("a fourth ask = %v, %v; want conflict decide.error.reminders_used", ok, err)
	}
	if got, _ := db.DecisionByID(ctx, d.ID); got.AskedReminders != 3 {
		t.Errorf("asked reminders = %d, want 3", got.AskedReminders)
	}
	if n := len(MustDrain(t, db)); n != 3 {
		t.Errorf("reminders queued = %d, want 3", n)
	}
}

func TestAskedReminderRefusedAfterTheClosingTime(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	db.Now = func() time.Time { return d.ClosesAt.Add(time.Second) }
	env := []bot.Envelope{{ToUserID: "a", Message: bot.Message{Text: "vote"}}}
	ok, err := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute)
	if ok || errorKey(err) != "decide.error.closed" {
		t.Errorf("ask after the closing time, before the close job = %v, %v; want decide.error.closed", ok, err)
	}
	if n := len(MustDrain(t, db)); n != 0 {
		t.Errorf("%d reminders queued after the closing time", n)
	}
}

// The card's key is stored before it is posted; a decision left without a
// post is found on start.
func TestCardKeyIsStoredAndUnpostedAreFound(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := newDecision("A", false)
	if err := db.CreateDecision(ctx, d); err != nil {
		t.Fatal(err)
	}
	other := newDecision("A", false)
	db.CreateDecision(ctx, other)
	if len(d.PostKey) != 24 || d.PostKey == other.PostKey {
		t.Errorf("post keys %q and %q: want random ones", d.PostKey, other.PostKey)
	}
	unposted, err := db.Unposted(ctx)
	if err != nil || len(unposted) != 2 || unposted[0].PostKey != d.PostKey || unposted[0].Electorate != 3 {
		t.Fatalf("unposted = %+v, %v", unposted, err)
	}
	db.SetDecisionPost(ctx, d.ID, "card")
	if unposted, _ := db.Unposted(ctx); len(unposted) != 1 || unposted[0].ID != other.ID {
		t.Errorf("after posting one, unposted = %d", len(unposted))
	}
}

func TestSearchFoldsCaseAndAccentsInAnyScript(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	for _, title := range []string{"Égalité des adhérents", "egalite des chances", "СОБРАНИЕ членов", "Ελληνική γιορτή", "Straße Ÿ"} {
		d := newDecision("A", false)
		d.Title = title
		MustCreate(t, db, d)
		db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil })
	}
	for q, want := range map[string]int{"égalité": 2, "EGALITE": 2, "Egal": 2, "adherents": 1, "собрание": 1, "Собр": 1,
		"ΕΛΛΗΝΙΚΗ": 1, "ελληνικη": 1, "straße": 1, "STRASSE": 1, "y": 1, "égalité chances": 1} {
		got, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Search: q, AnyChannel: true})
		if err != nil || len(got) != want {
			t.Errorf("search %q: got %d, %v; want %d", q, len(got), err, want)
		}
	}
}

// The register's index is built for decisions stored before migration 0004,
// and follows outcomes.
func TestMigrationIndexesExistingDecisions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec(`CREATE TABLE schema_version (version INTEGER NOT NULL)`)
	for i, name := range []string{"0001_foundation.sql", "0002_decisions.sql", "0003_catalogue.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
		raw.Exec(`INSERT INTO schema_version (version) VALUES (?)`, i+1)
	}
	opts, _ := json.Marshal(bot.ProposalOptions)
	if _, err := raw.Exec(`INSERT INTO decision (team_id, number, channel_id, post_id, author_id, lang, time_zone, title, kind, options,
		anonymous, hidden, quorum, created_at, closes_at, closed_at, asked_at) VALUES ('A', 1, 'ch', 'card', 'author', 'fr', 'UTC', 'Réunion annuelle', 'proposal', ?,
		0, 0, 0, 1, 2, 3, 1)`, string(opts)); err != nil {
		t.Fatal(err)
	}
	raw.Exec(`INSERT INTO outbox (post_key, team_id, to_user_id, message, created_at) VALUES ('k', 'A', '', '{"ChannelID":"ch","RootID":"card","Text":"x"}', 1)`)
	raw.Close()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Search: "reunion", AnyChannel: true})
	if err != nil || len(got) != 1 || len(got[0].PostKey) != 24 || got[0].AskedReminders != 1 {
		t.Fatalf("an old decision after the migration: %+v, %v", got, err)
	}
	db.SetOutcome(ctx, got[0].ID, "Budget voté")
	if got, _ := db.ListDecisions(ctx, "A", bot.DecisionFilter{Search: "budget vote", AnyChannel: true}); len(got) != 1 {
		t.Error("the outcome is not searched")
	}
	if got, _ := db.ListDecisions(ctx, "A", bot.DecisionFilter{Search: "reunion", AnyChannel: true}); len(got) != 1 {
		t.Error("the title is no longer found after the outcome")
	}
	if letters, _ := db.Pending(ctx, 10); len(letters) != 1 || letters[0].Message.Text != "x" {
		t.Errorf("an old letter: %+v", letters)
	}
}

// The limit counts only what the member may see.
func TestListLimitAppliesAfterTheChannelFilter(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	mine := newDecision("A", false)
	mine.ChannelID = "mine"
	MustCreate(t, db, mine)
	for range 5 {
		d := newDecision("A", false)
		d.ChannelID = "private"
		MustCreate(t, db, d)
	}
	got, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Open: true, Channels: []string{"mine"}, Limit: 2})
	if err != nil || len(got) != 1 || got[0].ID != mine.ID {
		t.Errorf("limit 2 in my channel: got %d, %v; want my decision", len(got), err)
	}
	if got, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Open: true, Channels: []string{}}); len(got) != 0 || err != nil {
		t.Errorf("no channel: got %d, %v; want none", len(got), err)
	}
	if _, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Open: true}); err == nil {
		t.Error("a filter naming no channel listed decisions")
	}
	channels, err := db.DecisionChannels(ctx, "A")
	if err != nil || !slices.Equal(channels, []string{"mine", "private"}) {
		t.Errorf("channels = %v, %v", channels, err)
	}
	if channels, _ := db.DecisionChannels(ctx, "B"); len(channels) != 0 {
		t.Errorf("team B sees channels %v", channels)
	}
}

func TestUndecidedOfAnAnonymousDecision(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", true))
	db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 0}, bot.StanceNews{})
	got, err := db.Undecided(ctx, d.ID)
	if err != nil || !slices.Equal(got, []string{"author", "b"}) {
		t.Errorf("undecided = %v, %v; want [author b]", got, err)
	}
}

// A reader that holds an old snapshot through the close delays the wipe of
// the WAL; the next write does it.
func TestWALWipeIsOwedToTheNextWrite(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", true))
	db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 3}, bot.StanceNews{})
	raw, _ := sql.Open("sqlite", path)
	defer raw.Close()
	var secret []byte
	raw.QueryRow(`SELECT secret FROM decision WHERE id = ?`, d.ID).Scan(&secret)
	reader, _ := raw.Conn(ctx)
	defer reader.Close()
	reader.ExecContext(ctx, `BEGIN`)
	var n int
	reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM stance`).Scan(&n)
	if closed, err := db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil }); !closed || err != nil {
		t.Fatalf("close with a reader holding on = %v, %v; want closed", closed, err)
	}
	if !bytes.Contains(readFile(t, path+"-wal"), secret) {
		t.Fatal("the WAL was wiped despite the reader: the test proves nothing")
	}
	reader.ExecContext(ctx, `COMMIT`)
	if err := db.SetLang(ctx, "A", "b", bot.English); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		if bytes.Contains(readFile(t, p), secret) {
			t.Errorf("%s holds the secret after the next write", filepath.Base(p))
		}
	}
}

func MustTally(tb testing.TB, db *storage.DB, id int64) bot.Tally {
	tb.Helper()
	t, err := db.Tally(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
