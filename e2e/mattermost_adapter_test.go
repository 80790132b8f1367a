//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/bot/mattermost"
)

// The adapter against the real server: the key is kept through an update
// (one PATCH, which replaces every prop on 6.7.2), FindPostByKey finds the
// post, and what can never succeed is told from what may.
func TestAdapterAgainstMattermost(t *testing.T) {
	ctx := context.Background()
	var token string
	if err := db(t).QueryRow(`SELECT value FROM setting WHERE name = 'bot_token'`).Scan(&token); err != nil {
		t.Fatal(err)
	}
	chat := mattermost.New(mm.URL, token, botID(t), balise.URL+"/actions", nil)
	ch, _, err := mm.Admin.Client.CreateChannel(ctx, &model.Channel{TeamId: mm.Team.Id, Name: "adapter", DisplayName: "Adapter", Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	if err := chat.JoinChannel(ctx, ch.Id); err != nil {
		t.Fatal(err)
	}
	since := time.Now()
	card := &bot.Card{Title: "Carte", Buttons: []bot.Button{{ID: "go", Label: "Go", Context: map[string]any{"a": "x"}}}}
	id, err := chat.Post(ctx, bot.Message{ChannelID: ch.Id, Text: "v1", Card: card, Key: "adapter-key-1"})
	if err != nil {
		t.Fatal(err)
	}
	card.Title = "Carte mise à jour"
	if err := chat.Update(ctx, id, bot.Message{ChannelID: ch.Id, Text: "v2", Card: card, Key: "adapter-key-1"}); err != nil {
		t.Fatal(err)
	}
	p, _, err := mm.Admin.Client.GetPost(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Attachments(); p.Message != "v2" || len(a) != 1 || a[0].Title != "Carte mise à jour" || len(a[0].Actions) != 1 {
		t.Errorf("after the patch: %q %+v, want v2 and the new card with its button", p.Message, a)
	}
	if p.GetProp(mattermost.KeyProp) != "adapter-key-1" || p.GetProp(model.PostPropsFromBot) != "true" {
		t.Errorf("after the patch props = %v, want the key and from_bot kept", p.GetProps())
	}
	got, found, err := chat.FindPostByKey(ctx, ch.Id, since, "adapter-key-1")
	if err != nil || !found || got != id {
		t.Errorf("FindPostByKey = %q %v %v, want %q", got, found, err, id)
	}
	if _, found, err := chat.FindPostByKey(ctx, ch.Id, since, "adapter-key-2"); err != nil || found {
		t.Errorf("FindPostByKey of an unknown key: %v %v, want not found", found, err)
	}

	// A deleted post, an archived channel, a channel the bot is not in: permanent.
	if _, err := mm.Admin.Client.DeletePost(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := chat.Update(ctx, id, bot.Message{Text: "v3"}); !bot.IsPermanent(err) {
		t.Errorf("update of a deleted post: %v, want permanent", err)
	}
	private, _, err := mm.Admin.Client.CreateChannel(ctx, &model.Channel{TeamId: mm.Team.Id, Name: "adapter-private", DisplayName: "Private", Type: model.ChannelTypePrivate})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chat.Post(ctx, bot.Message{ChannelID: private.Id, Text: "hello"}); !bot.IsPermanent(err) {
		t.Errorf("post where the bot is not a member: %v, want permanent", err)
	}
	if _, err := mm.Admin.Client.DeleteChannel(ctx, ch.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := chat.Post(ctx, bot.Message{ChannelID: ch.Id, Text: "hello"}); !bot.IsPermanent(err) {
		t.Errorf("post in an archived channel: %v, want permanent", err)
	} else {
		t.Logf("archived channel: %v", err)
	}
}
