package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

type rig struct {
	t    *testing.T
	srv  *Server
	h    http.Handler
	chat *fakeChat
	db   *storage.DB
}

func newRig(t *testing.T) *rig {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	chat := newFakeChat()
	chat.members["board"] = []string{"camille", "alex", "sam"}
	srv := MustServer(t, chat, db, db)
	return &rig{t: t, srv: srv, h: srv.Handler(), chat: chat, db: db}
}

// command posts a slash command as Mattermost would and returns the reply.
func (r *rig) command(user, token, text string) (int, string) {
	form := url.Values{"token": {token}, "team_id": {"team"}, "channel_id": {"board"}, "user_id": {user},
		"command": {"/decide"}, "text": {text}}
	req := httptest.NewRequest("POST", "/commands", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	var resp model.CommandResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec.Code, resp.Text
}

// click posts a click on the button of a post whose id starts with prefix.
func (r *rig) click(user, postID, buttonID string) (int, string) {
	var ctx map[string]any
	for _, b := range r.chat.post(postID).Card.Buttons {
		if b.ID == buttonID {
			ctx = b.Context
		}
	}
	if ctx == nil {
		r.t.Fatalf("no button %s on %s", buttonID, postID)
	}
	return r.clickContext(user, postID, ctx)
}

func (r *rig) clickContext(user, postID string, ctx map[string]any) (int, string) {
	body, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: user, PostId: postID, ChannelId: "board", TeamId: "team", Context: ctx})
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, httptest.NewRequest("POST", "/actions", bytes.NewReader(body)))
	var resp model.PostActionIntegrationResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec.Code, resp.EphemeralText
}

// settle waits for the card refreshes in flight.
func (r *rig) settle(id int64) {
	for {
		r.srv.bg.mu.Lock()
		busy := r.srv.bg.running[id]
		r.srv.bg.mu.Unlock()
		if !busy {
			return
		}
	}
}

func (r *rig) dms(user string) []bot.Message {
	r.chat.mu.Lock()
	defer r.chat.mu.Unlock()
	return append([]bot.Message(nil), r.chat.dms[user]...)
}

func cardText(m bot.Message) string {
	var labels []string
	for _, b := range m.Card.Buttons {
		labels = append(labels, "["+b.Label+"]")
	}
	return m.Card.Title + "\n" + m.Card.Text + "\n" + strings.Join(labels, " ") + "\n"
}

func TestCommandTokenIsVerified(t *testing.T) {
	r := newRig(t)
	if code, _ := r.command("camille", "wrong", `"Titre"`); code != http.StatusUnauthorized {
		t.Errorf("wrong token: got %d, want 401", code)
	}
	if list, _ := r.db.ListDecisions(context.Background(), "team", bot.DecisionFilter{Open: true}); len(list) != 0 {
		t.Errorf("a refused command wrote %d decisions", len(list))
	}
	if code, text := r.command("camille", "tok", "aide"); code != http.StatusOK || !strings.Contains(text, "/decision liste") {
		t.Errorf("right token: got %d %q, want the French usage", code, text)
	}
}

func TestDecisionCardTallies(t *testing.T) {
	r := newRig(t)
	code, text := r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 3j --quorum 50% --details "Nos fichiers"`)
	if code != http.StatusOK || !strings.Contains(text, "#1") {
		t.Fatalf("open: %d %q", code, text)
	}
	d, _ := r.db.Decision(context.Background(), "team", 1)
	r.click("alex", d.PostID, "vote0")
	r.click("sam", d.PostID, "vote2")
	if _, text := r.click("alex", d.PostID, "vote0"); !strings.Contains(text, "Agree") {
		t.Errorf("alex (en) reads %q, want their stance in English", text)
	}
	r.click("sam", d.PostID, "vote3")
	if _, text := r.click("zoe", d.PostID, "vote0"); !strings.Contains(text, "ne faites pas partie") {
		t.Errorf("zoe, not a voter, reads %q, want a polite refusal", text)
	}
	r.settle(d.ID)
	golden(t, "decision_card.fr.golden", cardText(r.chat.post(d.PostID)))
	deadline := time.Now().Add(5 * time.Second)
	for len(r.dms("camille")) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the notice is delivered by a goroutine
	}
	if dms := r.dms("camille"); len(dms) != 1 || !strings.Contains(dms[0].Text, "@sam a bloqué") {
		t.Errorf("camille's direct messages = %+v, want one block notice naming sam", dms)
	}
}

func TestForgedClickChangesNothing(t *testing.T) {
	r := newRig(t)
	r.command("alex", "tok", `"Adopt Paheko" --closes 2d`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	forged := NewSigner([]byte("not the key")).ButtonContext(map[string]string{"a": "vote", "team": "team", "d": "1", "c": "0"})
	if code, _ := r.clickContext("sam", d.PostID, forged); code != http.StatusUnauthorized {
		t.Errorf("forged click: got %d, want 401", code)
	}
	real := r.chat.post(d.PostID).Card.Buttons[0].Context
	tampered := map[string]any{}
	for k, v := range real {
		tampered[k] = v
	}
	tampered["d"] = "2"
	if code, _ := r.clickContext("sam", d.PostID, tampered); code != http.StatusUnauthorized {
		t.Errorf("tampered click: got %d, want 401", code)
	}
	if tally, _ := r.db.Tally(context.Background(), d.ID); tally.Voted != 0 {
		t.Errorf("forged clicks stored %d stances", tally.Voted)
	}
	golden(t, "decision_card.en.golden", cardText(r.chat.post(d.PostID)))
}

func TestHiddenResultsStayHidden(t *testing.T) {
	r := newRig(t)
	r.command("alex", "tok", `"Pick a tool" --options Jitsi BigBlueButton --hidden --closes 1d`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	r.click("sam", d.PostID, "vote1")
	r.settle(d.ID)
	if text := r.chat.post(d.PostID).Card.Text; strings.Contains(text, "**1**") || !strings.Contains(text, "hidden") {
		t.Errorf("hidden card reads %q, want no counts", text)
	}
	if _, text := r.command("alex", "tok", "show #1"); strings.Contains(text, "**1**") {
		t.Errorf("/decide show reveals hidden results: %q", text)
	}
}

func TestOutageKeepsMessagesUntilDelivered(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 1h`)
	d, _ := r.db.Decision(ctx, "team", 1)
	r.chat.mu.Lock()
	r.chat.down = true
	r.chat.mu.Unlock()
	if _, text := r.command("camille", "tok", "fermer #1"); !strings.Contains(text, "#1 fermée") {
		t.Fatalf("close: %q", text)
	}
	r.srv.Drain(ctx) // the delivery the close started has failed
	later := time.Now()
	r.db.Now = func() time.Time { return later }
	for i := 0; i < 5; i++ {
		later = later.Add(2 * time.Hour) // past the retry delay
		if err := r.srv.deliverOutbox(ctx); err == nil {
			t.Error("delivery during an outage reported success")
		}
	}
	later = later.Add(2 * time.Hour)
	if letters, _ := r.db.Pending(ctx, 10); len(letters) != 1 {
		t.Fatalf("during the outage %d letters are pending, want the result kept", len(letters))
	}
	r.chat.mu.Lock()
	r.chat.down = false
	r.chat.mu.Unlock()
	if err := r.srv.deliverOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.srv.deliverOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	results := 0
	for _, id := range r.chat.order {
		if strings.Contains(r.chat.post(id).Text, "Décision #1 fermée") && r.chat.post(id).RootID == d.PostID {
			results++
		}
	}
	if results != 1 {
		t.Errorf("result posted %d times, want once", results)
	}
}

func TestExportNeutralisesFormulas(t *testing.T) {
	r := newRig(t)
	dec := &bot.Decision{Number: 1, Title: "=HYPERLINK(\"http://x\")", Kind: bot.Proposal, Options: bot.ProposalOptions, Outcome: "+1 pour tous", Location: nil}
	data, err := r.srv.decisionsCSV(bot.English, []*bot.Decision{dec}, []bot.Tally{{Counts: make([]int, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	csv := string(data)
	if !strings.Contains(csv, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(csv, "'+1 pour tous") || !strings.HasSuffix(csv, "\r\n") {
		t.Errorf("CSV = %q, want formulas neutralised and CRLF lines", csv)
	}
}

func TestDecisionsStayWithTheirChannel(t *testing.T) {
	r := newRig(t)
	r.command("camille", "tok", `"Budget du bureau" --fermeture 2j`)
	if _, text := r.command("zoe", "tok", "liste"); strings.Contains(text, "Budget") {
		t.Errorf("zoe, outside the channel, lists %q", text)
	}
	if _, text := r.command("zoe", "tok", "voir #1"); strings.Contains(text, "Budget") || !strings.Contains(text, "ne trouve pas") {
		t.Errorf("zoe, outside the channel, reads %q", text)
	}
	if _, text := r.command("sam", "tok", "liste"); !strings.Contains(text, "Budget") {
		t.Errorf("sam, in the channel, lists %q", text)
	}
}
