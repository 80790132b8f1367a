package tool

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"balise/bot"
	"balise/bot/assistant"
	"balise/bot/background"
	"balise/commands/commandstest"
	"balise/commands/decide"
	"balise/storage"
)

type toolRig struct {
	*commandstest.Rig
	t  testing.TB
	db *storage.DB
}

// MustToolServer returns a server with /tool and /decide on fakes and a
// database holding the shipped catalogue, with an optional assistant.
func MustToolServer(t testing.TB, llm bot.Assistant) *toolRig {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, _, err := db.LoadCatalogue(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := &toolRig{Rig: commandstest.New(t), t: t, db: db}
	r.Channel = "town"
	board := decide.New(decide.Config{Kit: r.Kit, Store: db, Chat: r.Chat, Work: r.Work,
		Postman: background.NewPostman(r.Work, db, r.Chat), Now: commandstest.Now})
	r.Serve(board, New(Config{Kit: r.Kit, Catalogue: db, Chat: r.Chat, Board: board, Assistant: llm,
		WaitLLM: 100 * time.Millisecond, Now: commandstest.Now}))
	return r
}

// submit submits the newest tool form as camille, and returns the errors
// per field and the error of the whole form.
func (r *toolRig) submit(values map[string]any) (map[string]string, string) {
	_, resp := r.Submit("camille", "town", "tool", values)
	return resp.Errors, resp.Error
}

// run types a command as user (camille speaks French, alex English) and
// returns the reply.
func (r *toolRig) run(user, command string) string {
	r.t.Helper()
	trigger, text, _ := strings.Cut(command, " ")
	return r.Run(user, strings.TrimPrefix(trigger, "/"), text)
}

func TestToolAnswersInEachLanguage(t *testing.T) {
	r := MustToolServer(t, nil)
	got := r.run("camille", "/outil alternative à doodle")
	commandstest.Golden(t, "tool_doodle.fr.golden", got)
	if !strings.Contains(got, "**Framadate**") || !strings.Contains(got, "remplace Doodle") {
		t.Errorf("camille reads %q, want Framadate, which replaces Doodle", got)
	}
	got = r.run("alex", "/tool video meeting with people joining by phone")
	commandstest.Golden(t, "tool_phone.en.golden", got)
	if !strings.Contains(got, "BigBlueButton") && !strings.Contains(got, "Jitsi") {
		t.Errorf("alex reads %q, want BigBlueButton or Jitsi", got)
	}
	if !strings.Contains(got, "users: easy") {
		t.Errorf("alex reads %q, want the difficulty in English", got)
	}
}

func TestToolSaysWhenNothingFits(t *testing.T) {
	r := MustToolServer(t, nil)
	got := r.run("camille", "/outil recette de cuisine @channel")
	if !strings.Contains(got, "rien trouvé") || !strings.Contains(got, "/outil liste") {
		t.Errorf("got %q, want a plain 'nothing found' pointing to the categories", got)
	}
	if strings.Contains(got, "@channel") {
		t.Errorf("got %q: the member's words mention the whole channel", got)
	}
}

func TestToolListAndCards(t *testing.T) {
	r := MustToolServer(t, nil)
	if got := r.run("alex", "/tool list"); !strings.Contains(got, "Video meetings (`video-meetings`)") {
		t.Errorf("/tool list: got %q, want the categories with their ids", got)
	}
	if got := r.run("camille", "/outil liste visio"); !strings.Contains(got, "Jitsi Meet") || strings.Contains(got, "Zoom") {
		t.Errorf("/outil liste visio: got %q, want Jitsi Meet and no proprietary service", got)
	}
	// "liste de diffusion" is a need, not a category.
	if got := r.run("camille", "/outil liste de diffusion"); !strings.Contains(got, "Sympa") {
		t.Errorf("/outil liste de diffusion: got %q, want mailing list tools", got)
	}
	if got := r.run("camille", "/outil fiche Framadat"); !strings.Contains(got, "CECILL-B") || !strings.Contains(got, "Remplace") {
		t.Errorf("/outil fiche Framadat: got %q, want the card of Framadate", got)
	}
	if got := r.run("alex", "/tool show zoom"); !strings.Contains(got, "proprietary") || !strings.Contains(got, "Jitsi Meet") {
		t.Errorf("/tool show zoom: got %q, want its free alternatives", got)
	}
}

func TestToolFeedbackShowsOnCards(t *testing.T) {
	r := MustToolServer(t, nil)
	got := r.run("camille", "/outil avis Jitsi Meet marche bien par téléphone @channel @here")
	if !strings.Contains(got, "Merci") {
		t.Fatalf("feedback: got %q, want thanks", got)
	}
	r.run("alex", "/tool feedback jitsi-meet good")
	card := r.run("camille", "/outil fiche jitsi-meet")
	if !strings.Contains(card, "marche bien par téléphone") || !strings.Contains(card, "camille") {
		t.Errorf("card: got %q, want camille's feedback", card)
	}
	if strings.Contains(card, "@channel") || strings.Contains(card, "@here") || !strings.Contains(card, "@\u200bchannel") {
		t.Errorf("card: got %q, want the whole-channel mentions neutralised", card)
	}
	if !strings.Contains(card, "Utilisé par 1 équipe ici") {
		t.Errorf("card: got %q, want 1 team (both members are of one team)", card)
	}
	if got := r.run("camille", "/outil avis jitsi-meet"); !strings.Contains(got, "/outil avis framadate") {
		t.Errorf("feedback without text: got %q, want the usage", got)
	}
	if got := r.run("camille", "/outil avis jitsi-meet "+strings.Repeat("long ", 200)); !strings.Contains(got, "trop long") {
		t.Errorf("long feedback: got %q, want it refused", got)
	}
}

func TestToolEditsAreForAdmins(t *testing.T) {
	r := MustToolServer(t, nil)
	if got := r.run("camille", "/outil ajouter"); !strings.Contains(got, "Seuls les admins") {
		t.Errorf("/outil ajouter by a member: got %q, want a refusal", got)
	}
	if len(r.Chat.Dialogs()) != 0 {
		t.Fatal("a dialog opened for a member")
	}
	r.Chat.Admins["camille"] = true
	r.run("camille", "/outil ajouter")
	if len(r.Chat.Dialogs()) != 1 || r.Chat.Dialogs()[0].CallbackID != "tool" {
		t.Fatalf("got dialogs %+v, want the tool form", r.Chat.Dialogs())
	}
	if n := len([]rune(r.Chat.Dialogs()[0].Title)); n > 24 {
		t.Errorf("dialog title has %d characters, Mattermost takes 24", n)
	}
	values := map[string]any{"name": "Pad du quartier", "categories": "writing", "needs_fr": "écrire ensemble\nprise de notes",
		"needs_en": "write together", "description_fr": "Notre pad.", "description_en": "Our pad.", "license": "not a licence!",
		"free": true, "replaces": "Google Docs", "hosting": "self-hosted", "cost_fr": "Gratuit", "cost_en": "Free",
		"user_difficulty": "1", "admin_difficulty": "2", "mobile": false, "website": "https://pad.example.org", "source": "https://pad.example.org"}
	errs, err := r.submit(values)
	if err != "" || !strings.Contains(errs["license"], "SPDX") {
		t.Fatalf("bad licence: got %v, %v, want an error on the licence field", errs, err)
	}
	if _, err := r.db.Tool(context.Background(), "team", "pad-du-quartier"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("a refused form wrote the tool: %v", err)
	}
	values["license"] = "AGPL-3.0-or-later"
	if errs, err := r.submit(values); err != "" || len(errs) != 0 {
		t.Fatalf("good form: got %v, %v", errs, err)
	}
	if got := r.run("camille", "/outil prise de notes"); !strings.Contains(got, "Pad du quartier") {
		t.Errorf("the new tool is not found: %q", got)
	}
	if errs, _ := r.submit(values); !strings.Contains(errs["name"], "existe déjà") {
		t.Errorf("adding twice: got %v, want the name refused", errs)
	}
	// Edit: the form opens filled, and the edit is kept as a local one.
	r.run("camille", "/outil modifier pad-du-quartier")
	if d := r.Chat.Dialogs()[len(r.Chat.Dialogs())-1]; d.Fields[0].Default != "Pad du quartier" {
		t.Errorf("edit form: got name %q, want it filled", d.Fields[0].Default)
	}
	r.Chat.Admins["camille"] = false
	if _, err := r.submit(values); !strings.Contains(err, "Seuls les admins") {
		t.Errorf("a submission by someone no longer admin: got %q, want a refusal", err)
	}
}

// toolAssistant answers with fixed picks, or waits for the deadline.
type toolAssistant struct {
	picks []bot.Pick
	slow  bool
}

func (a toolAssistant) Categorize(ctx context.Context, need string, lang bot.Lang, c []bot.CategoryChoice) ([]string, error) {
	return nil, errors.New("no categories")
}

func (a toolAssistant) Rerank(ctx context.Context, need string, lang bot.Lang, c []*bot.Tool) ([]bot.Pick, error) {
	if a.slow {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if a.picks == nil {
		return nil, errors.New("down")
	}
	return a.picks, nil
}

func TestToolAssistantChoosesAmongCandidatesOnly(t *testing.T) {
	plain := MustToolServer(t, nil).run("camille", "/outil alternative à doodle")
	r := MustToolServer(t, toolAssistant{picks: []bot.Pick{
		{ID: "evil-tool", Reason: "Installez evil-tool"}, {ID: "rallly", Reason: "Sans compte, simple."}}})
	got := r.run("camille", "/outil alternative à doodle")
	if strings.Contains(got, "evil") || !strings.HasPrefix(strings.Split(got, "\n")[1], "1. **Rallly**") || !strings.Contains(got, "Sans compte, simple.") {
		t.Errorf("got %q, want Rallly first with the assistant's reason, evil-tool dropped", got)
	}
	r = MustToolServer(t, toolAssistant{picks: []bot.Pick{{ID: "rallly", Reason: "Voir http://evil.example @all"}}})
	if got := r.run("camille", "/outil alternative à doodle"); strings.Contains(got, "evil") || strings.Contains(got, "@all") {
		t.Errorf("got %q, want the assistant's links and mentions dropped", got)
	}
	for _, a := range []toolAssistant{{slow: true}, {}} {
		start := time.Now()
		if got := MustToolServer(t, a).run("camille", "/outil alternative à doodle"); got != plain {
			t.Errorf("assistant %+v: got %q, want the plain ranking %q", a, got, plain)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("assistant %+v: answered after %s", a, took)
		}
	}
}

// A need that starts with a subcommand word is searched when the rest
// names no tool; the subcommand still answers when it does.
func TestToolSubcommandWordsStartingANeed(t *testing.T) {
	r := MustToolServer(t, nil)
	for _, c := range []struct{ user, command, want string }{
		{"alex", "/tool edit the photos of the party before printing", "GIMP"},
		{"alex", "/tool show me how to share big files", "For \""},
		{"camille", "/outil modifier une affiche", "Pour «"},
		{"camille", "/outil avis sur un sondage pour choisir une date", "Framadate"},
		{"camille", "/outil aide pour la comptabilité", "Paheko"},
		{"camille", "/outil fiche framadate", "CECILL-B"},
		{"camille", "/outil avis framadate pratique", "Merci"},
		{"camille", "/outil fiche logicielinconnu", "ne connais pas"},
	} {
		if got := r.run(c.user, c.command); !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q in it", c.command, got, c.want)
		}
	}
}

// A situation that no need phrase fits but whose words point somewhere
// gets the closest categories with their best tools, said to be a guess;
// a question nothing fits still gets a plain "nothing found".
func TestToolGuessesTheClosestCategories(t *testing.T) {
	r := MustToolServer(t, nil)
	got := r.run("alex", "/tool the treasurer emails spreadsheets back and forth every month")
	if !strings.Contains(got, "guess") || !strings.Contains(got, "(`office`)") || !strings.Contains(got, "Grist") {
		t.Errorf("got %q, want a guess naming the office category and Grist", got)
	}
	if got := r.run("camille", "/outil alternative à HelloAsso"); !strings.Contains(got, "rien trouvé") {
		t.Errorf("HelloAsso: got %q, want a plain 'nothing found'", got)
	}
}

// With a language model (here an httptest server speaking the OpenAI
// API), a situation the plain ranking only guesses at is answered within
// the categories the model chose, with catalogue tools only; a category
// it makes up is dropped; a service no free tool replaces is not guessed.
func TestToolModelChoosesCategoriesWhenTheRankingIsWeak(t *testing.T) {
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req openai.ChatCompletionRequest
		json.NewDecoder(r.Body).Decode(&req)
		asked = append(asked, req.Messages[0].Content)
		content := `{"categories": ["evil-category", "passwords"]}`
		if strings.Contains(req.Messages[0].Content, "candidates") {
			content = `{"picks": []}`
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(openai.ChatCompletionResponse{ID: "x", Object: "chat.completion",
			Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: content}}}})
	}))
	defer srv.Close()
	r := MustToolServer(t, assistant.New(srv.URL+"/v1", "key", "tiny"))
	situation := "/outil personne ne sait qui a la clé du local ni quand"
	if plain := MustToolServer(t, nil).run("camille", situation); !strings.Contains(plain, "supposition") {
		t.Fatalf("plain ranking: got %q, want a guess (the case this test is about)", plain)
	}
	got := r.run("camille", situation)
	if !strings.Contains(got, "Mots de passe") || strings.Contains(got, "evil") || strings.Contains(got, "supposition") {
		t.Errorf("got %q, want tools of the passwords category the model chose, and no made-up category", got)
	}
	tools, err := storage.ShippedTools()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(got, "\n") {
		if name, ok := strings.CutPrefix(line, "1. **"); ok {
			name, _, _ = strings.Cut(name, "**")
			if !slices.ContainsFunc(tools, func(tool *bot.Tool) bool { return tool.Name == name && tool.Free }) {
				t.Errorf("answer %q is not a free tool of the catalogue", name)
			}
		}
	}
	n := len(asked)
	if got := r.run("camille", "/outil alternative à HelloAsso"); !strings.Contains(got, "rien trouvé") || len(asked) != n {
		t.Errorf("HelloAsso: got %q after %d questions to the model, want a plain 'nothing found' without asking", got, len(asked)-n)
	}
}
