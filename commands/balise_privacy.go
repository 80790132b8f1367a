package commands

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"balise/bot"
)

// A member's own data (GDPR): /balise privacy sends them what Balise holds
// about them in the team, /balise notice says why and for how long, and
// /balise forget, once confirmed, forgets them there.

// Limits of the direct message: beyond them the whole list goes in a file
// and the message keeps the counts and the first lines of each list.
const (
	privacyShownPerList = 5
	privacyMaxLines     = 20
	privacyMaxText      = 3000
	// ForgetLife is how long the confirmation's button works.
	ForgetLife = time.Hour
)

// runPrivacy sends the member, in a direct message, what Balise holds
// about them in this team.
func (s *Server) runPrivacy(ctx context.Context, in *Input) (string, error) {
	if s.personal == nil {
		return s.kit.T(in.Lang, "privacy.unavailable"), nil
	}
	p, err := s.personal.PersonalData(ctx, in.TeamID, in.UserID)
	if err != nil {
		return "", err
	}
	sections := s.privacySections(in.Lang, s.kit.Location(ctx, in.UserID), p)
	full := renderPrivacy(s.kit.T(in.Lang, "privacy.title"), sections, -1, nil)
	next := s.kit.T(in.Lang, "privacy.next")
	lines := 0
	for _, sec := range sections {
		lines += len(sec.items)
		for _, it := range sec.items {
			lines += len(it.detail)
		}
	}
	if lines <= privacyMaxLines && len(full) <= privacyMaxText {
		if _, err := s.kit.chat.DirectMessage(ctx, in.UserID, bot.Message{Text: full + "\n\n" + next}); err != nil {
			return "", err
		}
		return s.kit.T(in.Lang, "privacy.sent"), nil
	}
	dm, err := s.kit.chat.DirectChannel(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	short := renderPrivacy(s.kit.T(in.Lang, "privacy.title"), sections, privacyShownPerList,
		func(n int) string { return s.kit.T(in.Lang, "privacy.more", "count", n) })
	file := full + "\n\n" + s.kit.T(in.Lang, "privacy.notice") + "\n"
	name := "balise-" + s.kit.signer.now().Format("2006-01-02") + ".md"
	_, err = s.kit.chat.Upload(ctx, bot.Message{ChannelID: dm, Text: short + "\n\n" + s.kit.T(in.Lang, "privacy.file") + "\n" + next},
		[]bot.File{{Name: name, Data: []byte(file)}})
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "privacy.sent"), nil
}

// A privacy section is a heading and its lines; a line may have details
// (a reason, a sheet's answers).
type privacySection struct {
	heading string
	items   []privacyItem
}

type privacyItem struct {
	text   string
	detail []string
}

// renderPrivacy writes the sections as Markdown. With shown >= 0, each
// list stops after shown lines, keeping only details of one line (a
// reason), and more says how many are left out.
func renderPrivacy(title string, sections []privacySection, shown int, more func(int) string) string {
	var b strings.Builder
	b.WriteString(title)
	for _, sec := range sections {
		b.WriteString("\n\n" + sec.heading)
		for i, it := range sec.items {
			if shown >= 0 && i == shown {
				b.WriteString("\n- " + more(len(sec.items)-shown))
				break
			}
			b.WriteString("\n- " + it.text)
			if shown < 0 || len(it.detail) <= 1 {
				for _, d := range it.detail {
					b.WriteString("\n  - " + d)
				}
			}
		}
	}
	return b.String()
}

// privacySections turns what is held into sections, in the member's
// language: an empty one says so.
func (s *Server) privacySections(l bot.Lang, loc *time.Location, p *bot.PersonalData) []privacySection {
	t := func(id string, kv ...any) string { return s.kit.T(l, id, kv...) }
	when := func(at time.Time) string { return s.kit.When(l, at, loc) }
	if p.Empty() {
		return []privacySection{{heading: t("privacy.nothing")}}
	}
	var out []privacySection
	add := func(heading string, items []privacyItem) {
		out = append(out, privacySection{heading: heading, items: items})
	}
	if len(p.Authored) > 0 {
		var items []privacyItem
		for _, d := range p.Authored {
			items = append(items, privacyItem{text: t("privacy.decision", "number", d.Number, "title", d.Title,
				"date", when(d.CreatedAt), "open", d.Open)})
		}
		add(t("privacy.authored", "count", len(items)), items)
	}
	if len(p.Stances) > 0 {
		var items []privacyItem
		for _, st := range p.Stances {
			option := st.Option
			if st.Kind == bot.Proposal {
				option = t("decide.stance." + option)
			}
			it := privacyItem{text: t("privacy.stance", "number", st.Decision.Number, "title", st.Decision.Title,
				"option", option, "date", when(st.At), "changes", st.Changes)}
			if st.Reason != "" {
				it.detail = []string{t("privacy.reason", "reason", oneLine(st.Reason))}
			}
			items = append(items, it)
		}
		add(t("privacy.stances", "count", len(items)), items)
	}
	if p.AnonymousStances > 0 {
		add(t("privacy.anonymous", "count", p.AnonymousStances), nil)
	}
	if p.Electorates > 0 {
		add(t("privacy.electorates", "count", p.Electorates), nil)
	}
	if len(p.Feedback) > 0 {
		var items []privacyItem
		for _, f := range p.Feedback {
			items = append(items, privacyItem{text: t("privacy.feedback.line", "tool", f.ToolID, "date", when(f.At), "text", oneLine(f.Text))})
		}
		add(t("privacy.feedback", "count", len(items)), items)
	}
	if len(p.Sheets) > 0 {
		var items []privacyItem
		for _, sh := range p.Sheets {
			it := privacyItem{text: t("privacy.sheet", "number", sh.Campaign, "name", sh.Name, "role", t("diag.role."+string(sh.Role)),
				"answers", len(sh.Answers), "targets", len(sh.Targets), "tools", len(sh.Tools))}
			for _, q := range slices.Sorted(maps.Keys(sh.Answers)) {
				it.detail = append(it.detail, t("privacy.sheet.answer", "question", q, "option", sh.Answers[q]))
			}
			for _, dim := range slices.Sorted(maps.Keys(sh.Targets)) {
				it.detail = append(it.detail, t("privacy.sheet.target", "dimension", dim, "target", strconv.Itoa(sh.Targets[dim])))
			}
			for _, name := range sh.Tools {
				it.detail = append(it.detail, t("privacy.sheet.tool", "name", name))
			}
			items = append(items, it)
		}
		add(t("privacy.sheets", "count", len(items)), items)
	}
	for _, c := range []struct {
		id string
		n  int
	}{{"privacy.campaigns", p.CampaignsOpened}, {"privacy.invitations", p.Invitations}, {"privacy.letters", p.Letters}} {
		if c.n > 0 {
			add(t(c.id, "count", c.n), nil)
		}
	}
	if p.Lang != "" {
		add(t("privacy.lang", "lang", s.kit.T(p.Lang, "lang.name")), nil)
	}
	return out
}

// oneLine keeps a member's text on one line of a list.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// runForget asks the member to confirm, with a button that works for them
// alone, in this team, for ForgetLife.
func (s *Server) runForget(ctx context.Context, in *Input) (string, error) {
	if s.personal == nil {
		return s.kit.T(in.Lang, "privacy.unavailable"), nil
	}
	until := s.kit.signer.now().Add(ForgetLife).Unix()
	in.Buttons = append(in.Buttons, s.kit.Button("forget", s.kit.T(in.Lang, "forget.button"), "danger", "forget",
		map[string]string{"team": in.TeamID, "user": in.UserID, "until": strconv.FormatInt(until, 10)}))
	return s.kit.T(in.Lang, "forget.confirm"), nil
}

// clickForget forgets the member who clicked, if the button was theirs.
func (s *Server) clickForget(ctx context.Context, c *Click) (string, error) {
	if s.personal == nil {
		return s.kit.T(c.Lang, "privacy.unavailable"), nil
	}
	if c.Fields["user"] != c.UserID {
		return "", bot.Errorf(bot.EFORBIDDEN, "forget.not_yours")
	}
	until, err := strconv.ParseInt(c.Fields["until"], 10, 64)
	if err != nil || !s.kit.signer.now().Before(time.Unix(until, 0)) {
		return "", bot.Errorf(bot.ECONFLICT, "forget.expired")
	}
	f, err := s.personal.Forget(ctx, c.TeamID, c.UserID)
	if err != nil {
		return "", err
	}
	return s.kit.T(c.Lang, "forget.done", "stances", f.Stances, "sheets", f.Sheets, "feedback", f.Feedback,
		"authored", f.Authored, "campaigns", f.Campaigns), nil
}
