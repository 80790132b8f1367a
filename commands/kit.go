package commands

import (
	"context"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
)

// Chat is what the HTTP face asks of Mattermost: who a member is, opening a
// dialog for them, the language buttons and a member's data in a direct
// message (a file when it is long).
type Chat interface {
	Member(ctx context.Context, userID string) (bot.Member, error)
	OpenDialog(ctx context.Context, triggerID, dialogURL string, d bot.Dialog) error
	DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error)
	DirectChannel(ctx context.Context, userID string) (string, error)
	Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error)
}

// Kit is what the HTTP face lends every capability: texts in the member's
// language, signed buttons and dialogs, the member's time zone, links.
type Kit struct {
	Text *Catalogue

	chat          Chat
	prefs         bot.Preferences
	signer        *Signer
	dialogURL     string
	actionURL     string
	mattermostURL string
}

// NewKit returns a kit. publicURL is Balise's URL as Mattermost reaches it;
// mattermostURL is for links to posts.
func NewKit(text *Catalogue, signer *Signer, chat Chat, prefs bot.Preferences, publicURL, mattermostURL string) *Kit {
	publicURL = strings.TrimSuffix(publicURL, "/")
	return &Kit{Text: text, chat: chat, prefs: prefs, signer: signer, dialogURL: publicURL + DialogPath,
		actionURL: publicURL + ActionPath, mattermostURL: strings.TrimSuffix(mattermostURL, "/")}
}

// T returns message id in language l (see Catalogue.T).
func (k *Kit) T(l bot.Lang, id string, kv ...any) string { return k.Text.T(l, id, kv...) }

// Err returns what the member should read for err.
func (k *Kit) Err(l bot.Lang, err error) string { return k.Text.Err(l, err) }

// Button returns a signed button that runs action with fields. Fields
// should name the team ("team"): a click is checked against it.
func (k *Kit) Button(id, label, style, action string, fields map[string]string) bot.Button {
	f := map[string]string{actionField: action}
	for key, v := range fields {
		f[key] = v
	}
	return bot.Button{ID: id, Label: label, Style: style, Context: k.signer.ButtonContext(f)}
}

// OpenDialog opens d for the member of req, its state signed for them, for
// this dialog and for a day.
func (k *Kit) OpenDialog(ctx context.Context, req bot.Request, d bot.Dialog, state map[string]string) error {
	if state == nil {
		state = map[string]string{}
	}
	state["team"] = req.TeamID
	d.State = k.signer.DialogState(d.CallbackID, req.UserID, state)
	return k.chat.OpenDialog(ctx, req.TriggerID, k.dialogURL, d)
}

// Lang returns the language to speak to a member.
func (k *Kit) Lang(ctx context.Context, teamID, userID string) bot.Lang {
	choice, err := k.prefs.Lang(ctx, teamID, userID)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("read language choice")
	}
	var locale string
	if m, err := k.chat.Member(ctx, userID); err == nil {
		locale = m.Locale
	} else {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("read member locale")
	}
	return bot.UserLang(choice, locale)
}

// Recipient returns the language and time zone to write to a member in,
// for what Balise sends on its own (reminders). Unlike Lang and Location,
// it fails when Mattermost cannot say now, rather than guessing French and
// UTC: the job retries once Mattermost answers. A member Mattermost no
// longer knows (a permanent error) gets the defaults.
func (k *Kit) Recipient(ctx context.Context, teamID, userID string) (bot.Lang, *time.Location, error) {
	choice, err := k.prefs.Lang(ctx, teamID, userID)
	if err != nil {
		return "", nil, err
	}
	m, err := k.chat.Member(ctx, userID)
	if err != nil && !bot.IsPermanent(err) {
		return "", nil, err
	}
	if err != nil || m.Location == nil {
		m.Location = time.UTC
	}
	return bot.UserLang(choice, m.Locale), m.Location, nil
}

// Location is a member's time zone as Mattermost gives it (the default
// time zone setting when they have none), UTC when Mattermost cannot say.
func (k *Kit) Location(ctx context.Context, userID string) *time.Location {
	if m, err := k.chat.Member(ctx, userID); err == nil && m.Location != nil {
		return m.Location
	}
	return time.UTC
}

// Permalink links to a post from anywhere in Mattermost.
func (k *Kit) Permalink(postID string) string {
	return k.mattermostURL + "/_redirect/pl/" + postID
}

// When formats a time for a reader: "lun. 30 nov. 18:00" in their language
// and time zone.
func (k *Kit) When(l bot.Lang, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	days := strings.Split(k.T(l, "time.weekdays"), ",")
	months := strings.Split(k.T(l, "time.months"), ",")
	if len(days) != 7 || len(months) != 12 {
		return t.Format("2006-01-02 15:04 MST")
	}
	return k.T(l, "time.when", "day", days[t.Weekday()], "date", t.Day(), "month", months[t.Month()-1],
		"time", t.Format("15:04"), "zone", t.Format("MST"))
}

// Subcommand splits "verb rest" into its lower-case verb and the rest.
func Subcommand(text string) (string, string) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	return strings.ToLower(verb), strings.TrimSpace(rest)
}

// LogErr logs err when it is internal: members' mistakes are not errors.
func LogErr(ctx context.Context, err error, what string) {
	if bot.ErrorCode(err) == bot.EINTERNAL {
		noteOf(ctx).failed = true
		zerolog.Ctx(ctx).Error().Err(err).Msg(what)
	}
}
