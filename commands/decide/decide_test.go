package decide

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
	"balise/commands/commandstest"
	"balise/storage"
)

type rig struct {
	t testing.TB
	*commandstest.Rig
	dec  *Decide
	post *background.Postman
	db   *storage.DB
}

func newRig(t testing.TB) *rig {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &rig{Rig: commandstest.New(t), t: t, db: db}
	r.Chat.Members["board"] = []string{"camille", "alex", "sam"}
	r.post = background.NewPostman(r.Work, db, r.Chat)
	r.dec = New(Config{Kit: r.Kit, Store: db, Chat: r.Chat, Work: r.Work, Postman: r.post, Now: commandstest.Now})
	r.Serve(r.dec)
	return r
}

// command types /decide text as user and returns the reply.
func (r *rig) command(user, token, text string) (int, string) {
	code, resp := r.Command(user, token, "decide", text)
	return code, resp.Text
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
	r.Click("alex", d.PostID, "vote0")
	r.Click("sam", d.PostID, "vote2")
	if _, text := r.Click("alex", d.PostID, "vote0"); !strings.Contains(text, "Agree") {
		t.Errorf("alex (en) reads %q, want their stance in English", text)
	}
	r.Click("sam", d.PostID, "vote3")
	if _, text := r.Click("zoe", d.PostID, "vote0"); !strings.Contains(text, "ne faites pas partie") {
		t.Errorf("zoe, not a voter, reads %q, want a polite refusal", text)
	}
	r.Settle()
	commandstest.Golden(t, "decision_card.fr.golden", cardText(r.Chat.PostOf(d.PostID)))
	r.Settle() // the notice is delivered in the background
	if dms := r.Chat.DMs("camille"); len(dms) != 1 || !strings.Contains(dms[0].Text, "@sam a bloqué") {
		t.Errorf("camille's direct messages = %+v, want one block notice naming sam", dms)
	}
}

func TestForgedClickChangesNothing(t *testing.T) {
	r := newRig(t)
	r.command("alex", "tok", `"Adopt Paheko" --closes 2d`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	forged := commands.NewSigner([]byte("not the key"), nil).ButtonContext(map[string]string{"a": "vote", "team": "team", "d": "1", "c": "0"})
	if code, _ := r.ClickContext("sam", d.PostID, forged); code != http.StatusUnauthorized {
		t.Errorf("forged click: got %d, want 401", code)
	}
	real := r.Chat.PostOf(d.PostID).Card.Buttons[0].Context
	tampered := map[string]any{}
	for k, v := range real {
		tampered[k] = v
	}
	tampered["d"] = "2"
	if code, _ := r.ClickContext("sam", d.PostID, tampered); code != http.StatusUnauthorized {
		t.Errorf("tampered click: got %d, want 401", code)
	}
	if tally, _ := r.db.Tally(context.Background(), d.ID); tally.Voted != 0 {
		t.Errorf("forged clicks stored %d stances", tally.Voted)
	}
	commandstest.Golden(t, "decision_card.en.golden", cardText(r.Chat.PostOf(d.PostID)))
}

func TestHiddenResultsStayHidden(t *testing.T) {
	r := newRig(t)
	r.command("alex", "tok", `"Pick a tool" --options Jitsi BigBlueButton --hidden --closes 1d`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	r.Click("sam", d.PostID, "vote1")
	r.Settle()
	if text := r.Chat.PostOf(d.PostID).Card.Text; strings.Contains(text, "**1**") || !strings.Contains(text, "hidden") {
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
	r.Chat.SetDown(true)
	if _, text := r.command("camille", "tok", "fermer #1"); !strings.Contains(text, "#1 fermée") {
		t.Fatalf("close: %q", text)
	}
	r.Settle() // the delivery the close started has failed
	later := time.Now()
	r.db.Now = func() time.Time { return later }
	for i := 0; i < 5; i++ {
		later = later.Add(2 * time.Hour) // past the retry delay
		if err := r.post.Deliver(ctx); err == nil {
			t.Error("delivery during an outage reported success")
		}
	}
	later = later.Add(2 * time.Hour)
	if letters, _ := r.db.Pending(ctx, 10); len(letters) != 1 {
		t.Fatalf("during the outage %d letters are pending, want the result kept", len(letters))
	}
	r.Chat.SetDown(false)
	if err := r.post.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.post.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	results := 0
	for _, id := range r.Chat.Posts() {
		if strings.Contains(r.Chat.PostOf(id).Text, "Décision #1 fermée") && r.Chat.PostOf(id).RootID == d.PostID {
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
	data, err := r.dec.decisionsCSV(bot.English, []*bot.Decision{dec}, []bot.Tally{{Counts: make([]int, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	csv := string(data)
	if !strings.Contains(csv, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(csv, "'+1 pour tous") || !strings.HasSuffix(csv, "\r\n") {
		t.Errorf("CSV = %q, want formulas neutralised and CRLF lines", csv)
	}
}

// Spreadsheets read the export right: UTF-8 said by a byte-order mark, and
// ";" between French columns.
func TestExportOpensInSpreadsheets(t *testing.T) {
	r := newRig(t)
	dec := &bot.Decision{Number: 1, Title: "Passer à Nextcloud", Kind: bot.Proposal, Options: bot.ProposalOptions}
	for l, header := range map[bot.Lang]string{bot.French: "\ufeffnuméro;titre;", bot.English: "\ufeffnumber,title,"} {
		data, err := r.dec.decisionsCSV(l, []*bot.Decision{dec}, []bot.Tally{{Counts: make([]int, 4)}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), header) {
			t.Errorf("%s export starts %q, want %q", l, string(data)[:min(len(data), 30)], header)
		}
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
