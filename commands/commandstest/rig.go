package commandstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/rs/zerolog"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
)

// Now is the tests' clock: Monday 23 November 2026, 10:00 UTC.
func Now() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

// Rig drives Balise's HTTP face as Mattermost does, on a fake chat: in
// team "team" by default (or "otherteam": set Team), every command's token
// "tok".
type Rig struct {
	tb      testing.TB
	Chat    *Chat
	Kit     *commands.Kit
	Work    *background.Work
	Server  *commands.Server
	Handler http.Handler
	Channel string // where commands are typed; "board" by default
	Team    string // the team Mattermost says the member acts in; "team" by default
	// Personal, set before Serve, lets /balise show and forget a member's data.
	Personal bot.PersonalStore
}

// New returns a rig whose Kit and Work capabilities are built with; call
// Serve with them.
func New(tb testing.TB) *Rig {
	tb.Helper()
	text, err := commands.NewCatalogue()
	if err != nil {
		tb.Fatal(err)
	}
	chat := NewChat()
	kit := commands.NewKit(text, commands.NewSigner([]byte("key"), Now), chat, &Prefs{}, "http://balise", "http://chat")
	return &Rig{tb: tb, Chat: chat, Kit: kit, Work: background.New(zerolog.Nop()), Channel: "board", Team: "team"}
}

// Serve builds the server with the capabilities.
func (r *Rig) Serve(capabilities ...commands.Capability) *Rig {
	r.Server = commands.NewServer(commands.Config{Log: zerolog.Nop(), Tokens: Tokens{}, Kit: r.Kit,
		Ready: func(context.Context) error { return nil }, Personal: r.Personal}, capabilities...)
	r.Handler = r.Server.Handler()
	return r
}

// Command types "/trigger text" as user with token and returns the status
// and the ephemeral reply.
func (r *Rig) Command(user, token, trigger, text string) (int, *model.CommandResponse) {
	form := url.Values{"token": {token}, "team_id": {r.Team}, "channel_id": {r.Channel}, "user_id": {user},
		"command": {"/" + trigger}, "text": {text}, "trigger_id": {"trig"}}
	req := httptest.NewRequest("POST", commands.CommandPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, req)
	var resp model.CommandResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec.Code, &resp
}

// Run types a command with the right token and returns the reply's text;
// anything but 200 fails the test.
func (r *Rig) Run(user, trigger, text string) string {
	r.tb.Helper()
	code, resp := r.Command(user, "tok", trigger, text)
	if code != http.StatusOK {
		r.tb.Fatalf("/%s %s: status %d", trigger, text, code)
	}
	return resp.Text
}

// Button returns the context of a post's button, failing the test when
// there is none.
func (r *Rig) Button(postID, buttonID string) map[string]any {
	r.tb.Helper()
	for _, b := range r.Chat.PostOf(postID).Card.Buttons {
		if b.ID == buttonID {
			return b.Context
		}
	}
	r.tb.Fatalf("no button %s on %s", buttonID, postID)
	return nil
}

// Click clicks a button of a post as user.
func (r *Rig) Click(user, postID, buttonID string) (int, string) {
	r.tb.Helper()
	return r.ClickContext(user, postID, r.Button(postID, buttonID))
}

// ClickContext posts a click with the given context, as Mattermost would.
func (r *Rig) ClickContext(user, postID string, ctx map[string]any) (int, string) {
	body, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: user, PostId: postID, ChannelId: r.Channel, TeamId: r.Team, Context: ctx})
	rec := httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, httptest.NewRequest("POST", commands.ActionPath, bytes.NewReader(body)))
	var resp model.PostActionIntegrationResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec.Code, resp.EphemeralText
}

// Submit submits the newest dialog opened with callbackID as user, in
// channel, with values; it returns the status and the dialog's answer.
func (r *Rig) Submit(user, channel, callbackID string, values map[string]any) (int, *model.SubmitDialogResponse) {
	r.tb.Helper()
	var d *bot.Dialog
	for _, dlg := range r.Chat.Dialogs() {
		if dlg.CallbackID == callbackID {
			d = &dlg
		}
	}
	if d == nil {
		r.tb.Fatalf("no dialog %s was opened", callbackID)
	}
	return r.SubmitState(user, channel, callbackID, d.State, values)
}

// SubmitState submits a dialog with a given state.
func (r *Rig) SubmitState(user, channel, callbackID, state string, values map[string]any) (int, *model.SubmitDialogResponse) {
	body, _ := json.Marshal(model.SubmitDialogRequest{UserId: user, ChannelId: channel, TeamId: r.Team, CallbackId: callbackID,
		State: state, Submission: values})
	rec := httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, httptest.NewRequest("POST", commands.DialogPath, bytes.NewReader(body)))
	var resp model.SubmitDialogResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec.Code, &resp
}

// Settle waits for the background work in flight: card refreshes and
// deliveries.
func (r *Rig) Settle() { r.Work.Wait() }
