package background_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/bot/background"
	"balise/commands/commandstest"
	"balise/storage"
)

// MustPostman returns a postman on a fresh database and a fake chat, with
// the database's clock under the test's control.
func MustPostman(t *testing.T) (*background.Postman, *storage.DB, *commandstest.Chat, *time.Time) {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	chat := commandstest.NewChat()
	return background.NewPostman(background.New(zerolog.Nop()), db, chat), db, chat, &now
}

func reply(text string) bot.Envelope {
	return bot.Envelope{Message: bot.Message{ChannelID: "board", RootID: "card", Text: text}}
}

// A letter Mattermost can never take becomes a dead letter: not retried,
// counted for the operator, and it no longer holds back its thread.
func TestPermanentFailuresBecomeDeadLetters(t *testing.T) {
	p, db, chat, now := MustPostman(t)
	ctx := context.Background()
	db.Enqueue(ctx, "team", reply("first"), reply("second"))
	chat.Refuse(fmt.Errorf("archived channel: %w", bot.ErrPermanent))
	p.Deliver(ctx)
	if dead, _ := db.DeadLetters(ctx); dead != 2 {
		t.Fatalf("dead letters = %d, want 2", dead)
	}
	chat.Refuse(nil)
	*now = now.Add(24 * time.Hour)
	if err := p.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if posts := chat.Posts(); len(posts) != 0 {
		t.Errorf("dead letters were retried: %d posts", len(posts))
	}
}

// A transient failure is retried, later, and the thread waits for it.
func TestTransientFailuresAreRetriedInOrder(t *testing.T) {
	p, db, chat, now := MustPostman(t)
	ctx := context.Background()
	db.Enqueue(ctx, "team", reply("first"), reply("second"))
	chat.SetDown(true)
	if err := p.Deliver(ctx); err == nil {
		t.Error("delivery during an outage reported success")
	}
	chat.SetDown(false)
	*now = now.Add(time.Hour)
	if err := p.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	posts := chat.Posts()
	if len(posts) != 2 || chat.PostOf(posts[0]).Text != "first" || chat.PostOf(posts[1]).Text != "second" {
		t.Errorf("posts = %v, want first then second", posts)
	}
	if dead, _ := db.DeadLetters(ctx); dead != 0 {
		t.Errorf("dead letters = %d, want none", dead)
	}
}

// A post created while its answer was lost is found by its key, not
// posted again, however late the retry comes.
func TestLostAnswersAreNotPostedTwice(t *testing.T) {
	p, db, chat, now := MustPostman(t)
	ctx := context.Background()
	db.Enqueue(ctx, "team", reply("result"), bot.Envelope{ToUserID: "camille", Message: bot.Message{Text: "reminder"}})
	chat.LoseAnswers(2)
	p.Deliver(ctx)
	*now = now.Add(time.Hour) // long after Mattermost forgot the pending post ids
	if err := p.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if posts, dms := chat.Posts(), chat.DMs("camille"); len(posts) != 1 || len(dms) != 1 {
		t.Errorf("got %d posts and %d direct messages, want one each", len(posts), len(dms))
	}
	if letters, _ := db.Pending(ctx, 10); len(letters) != 0 {
		t.Errorf("%d letters still pending, want none", len(letters))
	}
}
