package diag

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"balise/bot"
	"balise/bot/background"
	"balise/commands/commandstest"
	"balise/storage"
)

type rig struct {
	t testing.TB
	*commandstest.Rig
	diag *Diag
	db   *storage.DB
	mu   sync.Mutex
	now  time.Time
}

// newRig serves /diag on the fake chat with a database holding the
// shipped catalogue; the board channel holds camille (fr, the opener),
// alex (en), sam, dominique and zoé.
func newRig(t testing.TB) *rig {
	return newRigWith(t, nil)
}

func newRigWith(t testing.TB, qs map[int]*bot.Questionnaire) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	if qs == nil {
		if qs, err = storage.Questionnaires(); err != nil {
			t.Fatal(err)
		}
	}
	r := &rig{Rig: commandstest.New(t), t: t, db: db, now: commandstest.Now()}
	db.Now = r.clock
	r.Chat.Members["board"] = []string{"camille", "alex", "sam", "dominique", "zoe"}
	r.Chat.Admins["admin"] = true
	post := background.NewPostman(r.Work, db, r.Chat)
	r.diag = New(Config{Kit: r.Kit, Store: db, Chat: r.Chat, Catalogue: db, Postman: post, Questionnaires: qs, Adoptions: db, Now: r.clock})
	r.Serve(r.diag)
	return r
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) advance(d time.Duration) {
	r.mu.Lock()
	r.now = r.now.Add(d)
	r.mu.Unlock()
}

// dmPosts returns the ids of the posts the bot made in a member's direct
// channel, oldest first.
func (r *rig) dmPosts(user string) []string {
	var out []string
	for _, id := range r.Chat.Posts() {
		if r.Chat.PostOf(id).ChannelID == "dm-"+user {
			out = append(out, id)
		}
	}
	return out
}

// last returns the newest post in a member's direct channel.
func (r *rig) last(user string) string {
	r.t.Helper()
	posts := r.dmPosts(user)
	if len(posts) == 0 {
		r.t.Fatalf("no post in %s's direct channel", user)
	}
	return posts[len(posts)-1]
}

func (r *rig) text(postID string) string {
	m := r.Chat.PostOf(postID)
	if m.Card != nil {
		return m.Text + m.Card.Text
	}
	return m.Text
}

func (r *rig) campaign() *bot.Campaign {
	r.t.Helper()
	c, err := r.db.Campaign(context.Background(), "team", 0)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *rig) sheet(user string) *bot.Sheet {
	r.t.Helper()
	s, err := r.db.Sheet(context.Background(), r.campaign().ID, user)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// start opens a campaign as camille.
func (r *rig) start(text string) {
	r.t.Helper()
	if got := r.Run("camille", "diag", "demarrer "+text); !strings.Contains(got, "ouvert") {
		r.t.Fatalf("/diag demarrer answers %q", got)
	}
	r.Settle()
}

// answer clicks button on the newest post of user's direct channel and
// returns the ephemeral text.
func (r *rig) answer(user, button string) string {
	r.t.Helper()
	code, text := r.Click(user, r.last(user), button)
	if code != 200 {
		r.t.Fatalf("%s clicks %s: status %d", user, button, code)
	}
	return text
}

func TestStartInvitesTheChannelByDirectMessage(t *testing.T) {
	r := newRig(t)
	got := r.Run("camille", "diag", `demarrer "Diagnostic 2026" --fermeture 7j --seuil 2`)
	if !strings.Contains(got, "Diagnostic V1 ouvert") || !strings.Contains(got, "5 personnes") {
		t.Fatalf("/diag demarrer answers %q", got)
	}
	r.Settle()
	c := r.campaign()
	if c.MinGroup != 2 || c.Name != "Diagnostic 2026" || c.ClosesAt.Sub(c.CreatedAt) != 7*24*time.Hour {
		t.Errorf("campaign %+v, want threshold 2, the name, a week", c)
	}
	dms := r.Chat.DMs("alex")
	if len(dms) != 1 || !strings.Contains(dms[0].Card.Text, "@camille is running") || dms[0].Card.Buttons[0].Label != "Start" {
		t.Errorf("alex's invitation: %+v, want it in English with a Start button", dms)
	}
	if got := r.Run("alex", "diag", "start"); !strings.Contains(got, "already open") {
		t.Errorf("a second campaign: %q, want refused", got)
	}
	if got := r.Run("alex", "diag", `start --respondents @nobody`); !strings.Contains(got, "@nobody") {
		t.Errorf("an unknown respondent: %q", got)
	}
	if got := r.Run("alex", "diag", `start --closes soon`); !strings.Contains(got, "closing time") {
		t.Errorf("a bad closing time: %q", got)
	}
}

func TestParseStart(t *testing.T) {
	for in, want := range map[string]startLine{
		`"Diag 2026" --respondents @a @b --closes 14d`: {name: "Diag 2026", respondents: []string{"a", "b"}, closes: "14d"},
		`—repondants @a,@b —fermeture 1/12 —seuil 2`:   {respondents: []string{"a", "b"}, closes: "1/12", threshold: "2"},
		`Bilan`: {name: "Bilan"},
	} {
		got, err := parseStart(in)
		if err != nil || got.name != want.name || got.closes != want.closes || got.threshold != want.threshold ||
			strings.Join(got.respondents, ",") != strings.Join(want.respondents, ",") {
			t.Errorf("parseStart(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{`x --soon`, `x --closes`} {
		if _, err := parseStart(in); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("parseStart(%q): got %v, want invalid", in, err)
		}
	}
}

// A respondent answers in order, stops, and /diag resumes at the next
// unanswered question.
func TestAnswerAndResume(t *testing.T) {
	r := newRig(t)
	r.start("")
	if got := r.Run("alex", "diag", ""); !strings.Contains(got, "direct messages") {
		t.Fatalf("/diag answers %q", got)
	}
	if !strings.Contains(r.text(r.last("alex")), "your role") {
		t.Fatalf("first question %q, want the role", r.text(r.last("alex")))
	}
	r.answer("alex", "r2") // volunteer
	first := r.last("alex")
	if text := r.text(first); !strings.Contains(text, "· 0/40") {
		t.Errorf("first question reads %q, want the progress mark 0/40", text)
	}
	r.answer("alex", "o1")
	if text := r.text(first); !strings.Contains(text, "✓") {
		t.Errorf("the answered question reads %q, want the answer marked", text)
	}
	r.answer("alex", "o5") // don't know
	if text := r.text(r.last("alex")); !strings.Contains(text, "· 2/40") {
		t.Errorf("third question reads %q, want 2/40", text)
	}
	before := len(r.dmPosts("alex"))
	r.Run("alex", "diag", "") // resumes later
	if got := len(r.dmPosts("alex")); got != before+1 || !strings.Contains(r.text(r.last("alex")), "· 2/40") {
		t.Errorf("resume posted %d posts reading %q, want one at 2/40", got-before, r.text(r.last("alex")))
	}
	if s := r.sheet("alex"); s.Role != bot.Volunteer || len(s.Answers) != 2 || s.Answers[firstQuestion(r)] == "" {
		t.Errorf("sheet %+v, want a volunteer with 2 answers", s)
	}
}

func firstQuestion(r *rig) string {
	q := r.diag.qs[r.diag.current]
	st := bot.NextTurn(q, &bot.Sheet{Role: bot.Board})
	return st.Question.ID
}

// A click on an old question's button changes that answer and says so;
// it brings no new question.
func TestOldButtonChangesTheAnswer(t *testing.T) {
	r := newRig(t)
	r.start("")
	r.Run("alex", "diag", "")
	r.answer("alex", "r0")
	first := r.last("alex")
	r.answer("alex", "o0")
	r.answer("alex", "o0")
	posts := len(r.dmPosts("alex"))
	code, text := r.Click("alex", first, "o2")
	if code != 200 || !strings.Contains(text, "Answer changed") {
		t.Errorf("old button: %d %q, want the change said", code, text)
	}
	q := r.diag.qs[1].Question(firstQuestion(r))
	if got := r.sheet("alex").Answers[q.ID]; got != q.Options[2].ID {
		t.Errorf("stored %q, want %q", got, q.Options[2].ID)
	}
	if len(r.dmPosts("alex")) != posts {
		t.Error("a changed answer posted another question")
	}
	if !strings.Contains(r.text(first), "✓ **"+q.Options[2].Label.EN) {
		t.Errorf("the old question reads %q, want the new answer marked", r.text(first))
	}
}

// A double click stores one answer and brings one next question.
func TestDoubleClickDoesNotDuplicate(t *testing.T) {
	r := newRig(t)
	r.start("")
	r.Run("camille", "diag", "")
	r.answer("camille", "r1")
	q := r.last("camille")
	posts := len(r.dmPosts("camille"))
	var wg sync.WaitGroup
	texts := make([]string, 2)
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, texts[i] = r.Click("camille", q, "o3")
		}()
	}
	wg.Wait()
	if got := len(r.dmPosts("camille")); got != posts+1 {
		t.Errorf("double click posted %d questions, want 1 (%q)", got-posts, texts)
	}
	if !strings.Contains(texts[0]+texts[1], "Déjà noté") {
		t.Errorf("double click said %q, want one \"already noted\"", texts)
	}
	if s := r.sheet("camille"); len(s.Answers) != 1 {
		t.Errorf("answers %v, want 1", s.Answers)
	}
}

// A button belongs to its respondent: someone else's click is refused and
// changes nothing.
func TestSomeoneElsesClickIsRefused(t *testing.T) {
	r := newRig(t)
	r.start("")
	r.Run("alex", "diag", "")
	r.answer("alex", "r2")
	q := r.last("alex")
	code, text := r.Click("sam", q, "o0")
	if code != 200 || !strings.Contains(text, "quelqu'un d'autre") && !strings.Contains(text, "autre personne") {
		t.Errorf("sam clicks alex's button: %d %q, want refused", code, text)
	}
	if s, _ := r.db.Sheet(context.Background(), r.campaign().ID, "sam"); s.Role != "" || len(s.Answers) != 0 {
		t.Errorf("sam's sheet %+v, want nothing", s)
	}
	if s := r.sheet("alex"); len(s.Answers) != 0 {
		t.Errorf("alex's answers %v, want none", s.Answers)
	}
}

// After the close, a click is refused with a clear message and the stored
// answer stays.
func TestClosedCampaignRefusesAnswers(t *testing.T) {
	r := newRig(t)
	r.start("--fermeture 2h")
	r.Run("alex", "diag", "")
	r.answer("alex", "r2")
	q := r.last("alex")
	r.answer("alex", "o1")
	if got := r.Run("alex", "diag", "close"); !strings.Contains(got, "Only the person") {
		t.Errorf("alex closes camille's campaign: %q, want refused", got)
	}
	r.advance(3 * time.Hour)
	for _, j := range r.Server.Jobs() {
		if j.Name == "close-due-campaigns" {
			if err := j.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.Settle()
	if r.campaign().ClosedAt.IsZero() {
		t.Fatal("the campaign did not close at its time")
	}
	code, text := r.Click("alex", q, "o3")
	if code != 200 || !strings.Contains(text, "closed") {
		t.Errorf("a click after the close: %d %q, want the closed message", code, text)
	}
	if a := r.sheet("alex").Answers[firstQuestion(r)]; a != r.diag.qs[1].Question(firstQuestion(r)).Options[1].ID {
		t.Errorf("stored answer %q changed after the close", a)
	}
	var closing string
	for _, id := range r.Chat.Posts() {
		if m := r.Chat.PostOf(id); m.ChannelID == "board" {
			closing = m.Text
		}
	}
	if !strings.Contains(closing, "V1 est fermé") {
		t.Errorf("closing post %q", closing)
	}
}

// A broken questionnaire file names the question at fault; a campaign
// whose questionnaire is missing says so instead of failing.
func TestBrokenQuestionnaire(t *testing.T) {
	qs, err := storage.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(qs[1])
	var raw map[string]any
	json.Unmarshal(data, &raw)
	first := raw["questions"].([]any)[0].(map[string]any)
	first["weight"] = 9
	broken, _ := json.Marshal(raw)
	if _, err := bot.ParseQuestionnaire(broken); err == nil || !strings.Contains(err.Error(), first["id"].(string)) {
		t.Errorf("broken question: got %v, want an error naming %s", err, first["id"])
	}

	r := newRig(t)
	r.start("")
	r.Run("alex", "diag", "")
	r.answer("alex", "r2")
	r.answer("alex", "o1")
	r.diag.qs = map[int]*bot.Questionnaire{} // Balise upgraded without the campaign's version
	if got := r.Run("alex", "diag", ""); !strings.Contains(got, "version 1") {
		t.Errorf("/diag without the questionnaire: %q, want it said", got)
	}
	if code, text := r.Click("alex", r.last("alex"), "o0"); code != 200 || !strings.Contains(text, "version 1") {
		t.Errorf("click without the questionnaire: %d %q", code, text)
	}
	if s := r.sheet("alex"); len(s.Answers) != 1 {
		t.Errorf("answers %v, want the one stored before", s.Answers)
	}
}

// fill answers the whole questionnaire for user with the option at rank
// pick(question index) (-1 for "don't know") and targets.
func fill(r *rig, user string, role bot.Role, pick func(i int) int, target int) {
	r.t.Helper()
	ctx := context.Background()
	c := r.campaign()
	q := r.diag.qs[c.Version]
	if err := r.db.SetRole(ctx, c.ID, user, role); err != nil {
		r.t.Fatal(err)
	}
	for i, qu := range q.Questions {
		o := bot.DontKnow
		if k := pick(i); k >= 0 {
			o = qu.Options[min(k, len(qu.Options)-1)].ID
		}
		if _, err := r.db.Answer(ctx, c.ID, user, qu.ID, o); err != nil {
			r.t.Fatal(err)
		}
	}
	for _, d := range q.Dimensions {
		if _, err := r.db.SetTarget(ctx, c.ID, user, d.ID, target); err != nil {
			r.t.Fatal(err)
		}
	}
}

// fillTeam has three volunteers and two board members answer: the
// volunteers' figures show, the board's merge into "others".
func fillTeam(r *rig) {
	fill(r, "alex", bot.Volunteer, func(i int) int { return i % 2 }, 75)
	fill(r, "sam", bot.Volunteer, func(i int) int { return 0 }, 50)
	fill(r, "zoe", bot.Volunteer, func(i int) int { return (i % 3) - 1 }, 75)
	fill(r, "camille", bot.Board, func(i int) int { return 3 }, 100)
	fill(r, "dominique", bot.Board, func(i int) int { return 2 }, 75)
	ctx := context.Background()
	c := r.campaign()
	for _, u := range []struct {
		user string
		use  bot.ToolUse
	}{
		{"camille", bot.ToolUse{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Need: "Partager les comptes rendus", Future: bot.Keep}},
		{"alex", bot.ToolUse{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Limits: "Slow on my phone @channel", Future: bot.Keep}},
		{"sam", bot.ToolUse{Name: "WhatsApp", Category: "chat", How: "Group of volunteers", Future: bot.Change}},
		{"zoe", bot.ToolUse{Name: "Google Drive", Category: "files", Future: bot.Drop}},
	} {
		if err := r.db.SaveToolUse(ctx, c.ID, u.user, u.use); err != nil {
			r.t.Fatal(err)
		}
	}
}

// reportOf renders what a report posted: the main post and its thread,
// with buttons, for the golden files.
func (r *rig) reportOf(posts []string) string {
	var b strings.Builder
	for _, id := range posts {
		m := r.Chat.PostOf(id)
		b.WriteString(m.Text)
		if m.Card != nil {
			b.WriteString(m.Card.Text + "\n")
			for _, btn := range m.Card.Buttons {
				b.WriteString("[" + btn.Label + " → " + btn.Context["a"].(string) + "] ")
			}
		}
		for _, f := range r.Chat.Files(id) {
			b.WriteString("\n📎 " + f.Name)
		}
		b.WriteString("\n---\n")
	}
	return b.String()
}

func newPosts(r *rig, before int) []string { return r.Chat.Posts()[before:] }

func TestReport(t *testing.T) {
	r := newRig(t)
	r.start(`"Diagnostic 2026" --fermeture 7j`)
	fillTeam(r)
	if got := r.Run("alex", "diag", "rapport"); !strings.Contains(got, "Only the person") {
		t.Errorf("alex posts the report: %q, want refused", got)
	}
	before := len(r.Chat.Posts())
	if got := r.Run("camille", "diag", "rapport V1"); !strings.Contains(got, "publié") {
		t.Fatalf("/diag rapport answers %q", got)
	}
	posts := newPosts(r, before)
	if len(posts) != 1+bot.MaxPriorities {
		t.Fatalf("report made %d posts, want the report and %d priorities", len(posts), bot.MaxPriorities)
	}
	files := r.Chat.Files(posts[0])
	if len(files) != 1 {
		t.Fatalf("report files %v, want the chart", files)
	}
	if _, err := png.Decode(bytes.NewReader(files[0].Data)); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
	for _, p := range posts[1:] {
		if m := r.Chat.PostOf(p); m.RootID != posts[0] || m.ChannelID != "board" {
			t.Errorf("priority %+v, want it in the report's thread", m)
		}
	}
	report := r.reportOf(posts)
	for _, name := range []string{"alex", "sam", "zoe", "camille", "dominique"} {
		if strings.Contains(report, name) {
			t.Errorf("the report names %s", name)
		}
	}
	commandstest.Golden(t, "report.fr.golden", report)

	before = len(r.Chat.Posts())
	if got := r.Run("alex", "diag", "show"); !strings.Contains(got, "direct messages") {
		t.Fatalf("/diag show answers %q", got)
	}
	posts = newPosts(r, before)
	if r.Chat.PostOf(posts[0]).ChannelID != "dm-alex" {
		t.Errorf("/diag show went to %s, want alex's direct channel", r.Chat.PostOf(posts[0]).ChannelID)
	}
	commandstest.Golden(t, "report.en.golden", r.reportOf(posts))
}

func TestExport(t *testing.T) {
	r := newRig(t)
	r.start("")
	fillTeam(r)
	if got := r.Run("camille", "diag", "exporter"); !strings.Contains(got, "message privé") {
		t.Fatalf("/diag exporter answers %q", got)
	}
	posts := r.dmPosts("camille")
	files := r.Chat.Files(posts[len(posts)-1])
	if len(files) != 2 || !strings.HasSuffix(files[0].Name, ".md") || !strings.HasSuffix(files[1].Name, ".csv") {
		t.Fatalf("export files %v, want Markdown and CSV", files)
	}
	csv := string(files[1].Data)
	if !strings.HasPrefix(csv, "\ufeffrôle;dimension;question;réponse;score\r\n") {
		t.Errorf("CSV starts %q, want a BOM and a French header with ';'", csv[:min(len(csv), 60)])
	}
	if !strings.Contains(csv, "\r\nBénévole;") || !strings.Contains(csv, "\r\nAutres;") || strings.Contains(csv, "\r\nCA;") {
		t.Errorf("CSV rows: want volunteers apart and the board (2) merged into others")
	}
	for _, name := range []string{"alex", "sam", "zoe", "camille", "dominique"} {
		if strings.Contains(csv, name) || strings.Contains(string(files[0].Data), name) {
			t.Errorf("the export names %s", name)
		}
	}
}

func TestStatusRemindAndCompare(t *testing.T) {
	r := newRig(t)
	r.start("")
	fill(r, "alex", bot.Volunteer, func(i int) int { return 0 }, 75)
	ctx := context.Background()
	c := r.campaign()
	r.db.SetRole(ctx, c.ID, "sam", bot.Board)
	got := r.Run("camille", "diag", "etat")
	if !strings.Contains(got, "1 terminé") || !strings.Contains(got, "@alex") || !strings.Contains(got, "@sam") {
		t.Errorf("status for the opener: %q, want counts and names", got)
	}
	if got := r.Run("sam", "diag", "etat"); strings.Contains(got, "@alex") {
		t.Errorf("status for a respondent: %q, want counts only", got)
	}
	for i, want := range []string{"Relance envoyée", "Relance envoyée", "déjà été envoyées"} {
		if got := r.Run("camille", "diag", "relancer"); !strings.Contains(got, want) {
			t.Errorf("reminder %d: %q, want %q", i+1, got, want)
		}
	}
	r.Settle()
	if dms := r.Chat.DMs("sam"); len(dms) != 3 || !strings.Contains(dms[2].Card.Text, "0/40") {
		t.Errorf("sam's messages %d, want the invitation and two reminders", len(dms))
	}
	if dms := r.Chat.DMs("alex"); len(dms) != 1 {
		t.Errorf("alex, who finished, got %d messages, want the invitation only", len(dms))
	}
	if got := r.Run("camille", "diag", "comparer"); !strings.Contains(got, "deux campagnes") {
		t.Errorf("compare with one campaign: %q", got)
	}
	r.Run("camille", "diag", "fermer")
	r.start("")
	fill(r, "alex", bot.Volunteer, func(i int) int { return 2 }, 75)
	before := len(r.Chat.Posts())
	if got := r.Run("camille", "diag", "comparer V1 V2"); !strings.Contains(got, "publié") {
		t.Fatalf("compare answers %q", got)
	}
	posts := newPosts(r, before)
	text := r.Chat.PostOf(posts[0]).Text
	if !strings.Contains(text, "Du diagnostic V1 au V2") || !strings.Contains(text, "progresse") || len(r.Chat.Files(posts[0])) != 1 {
		t.Errorf("comparison reads %q, want the change in words and a chart", text)
	}
}

// The inventory: a tool typed by name is matched against the catalogue,
// another kept as typed, then described through the form.
func TestInventory(t *testing.T) {
	r := newRig(t)
	r.start("")
	c := r.campaign()
	fill(r, "alex", bot.Volunteer, func(i int) int { return 0 }, 75)
	r.Run("alex", "diag", "")
	tools := r.last("alex")
	if !strings.Contains(r.text(tools), "which tools") {
		t.Fatalf("after the questions: %q, want the inventory", r.text(tools))
	}
	r.Click("alex", tools, "names")
	if _, resp := r.Submit("alex", "dm-alex", "diagnames", map[string]any{"names": "nextcloud, Le tableur des adhérents"}); len(resp.Errors) > 0 {
		t.Fatalf("names: %+v", resp)
	}
	s := r.sheet("alex")
	if len(s.Tools) != 2 || s.Tools[0].ToolID != "nextcloud" || s.Tools[1].ToolID != "" {
		t.Fatalf("inventory %+v, want Nextcloud from the catalogue and the spreadsheet as typed", s.Tools)
	}
	r.Click("alex", r.last("alex"), "describe")
	if _, resp := r.Submit("alex", "dm-alex", "diagtool", map[string]any{"need": "Members list", "future": "change", "limits": strings.Repeat("x", 600)}); resp.Errors["limits"] == "" {
		t.Errorf("a long text: %+v, want refused on its field", resp)
	}
	if _, resp := r.Submit("alex", "dm-alex", "diagtool", map[string]any{"need": "Members list", "future": "change"}); len(resp.Errors) > 0 {
		t.Fatalf("describe: %+v", resp)
	}
	if s := r.sheet("alex"); s.Tools[1].Need != "Members list" || s.Tools[1].Future != bot.Change {
		t.Errorf("described %+v", s.Tools[1])
	}
	if code, _ := r.SubmitState("sam", "dm-sam", "diagtool", r.Chat.Dialogs()[len(r.Chat.Dialogs())-1].State, map[string]any{"need": "x"}); code != 401 {
		t.Errorf("sam submits alex's form: %d, want 401", code)
	}
	r.Click("alex", tools, "done")
	if !strings.Contains(r.text(r.last("alex")), "Thank you") {
		t.Errorf("done: %q", r.text(r.last("alex")))
	}
	_ = c
}

// A respondent who asked to be forgotten is counted in the status, not
// named, and not reminded.
func TestStatusCountsAForgottenRespondent(t *testing.T) {
	r := newRig(t)
	r.start("")
	ctx := context.Background()
	c := r.campaign()
	r.db.SetRole(ctx, c.ID, "sam", bot.Board)
	if _, err := r.db.Forget(ctx, "team", "sam"); err != nil {
		t.Fatal(err)
	}
	got := r.Run("camille", "diag", "etat")
	if !strings.Contains(got, "1 membre oublié") || strings.Contains(got, bot.ForgottenPrefix) {
		t.Errorf("status: %q, want the forgotten respondent counted, not named", got)
	}
}
