package decide

import (
	"context"
	"strconv"
	"strings"

	"balise/bot"
	"balise/commands"
)

// OpenForm opens the form of a new decision, title and details
// prefilled (from a /tool answer).
func (s *Decide) OpenForm(ctx context.Context, req bot.Request, l bot.Lang, title, details string) error {
	t := func(id string) string { return s.kit.T(l, id) }
	dlg := bot.Dialog{CallbackID: "decide", Title: t("decide.dialog.title"), SubmitLabel: t("decide.dialog.open"),
		Fields: []bot.Field{
			{Name: "title", Label: t("decide.dialog.field_title"), Kind: "text", MaxLen: bot.MaxTitle, Default: title},
			{Name: "details", Label: t("decide.dialog.details"), Kind: "textarea", MaxLen: bot.MaxDetails, Optional: true, Default: details},
			{Name: "kind", Label: t("decide.dialog.kind"), Kind: "radio", Default: string(bot.Proposal), Options: []bot.Option{
				{Label: t("decide.kind.proposal"), Value: string(bot.Proposal)}, {Label: t("decide.kind.poll"), Value: string(bot.Poll)}}},
			{Name: "options", Label: t("decide.dialog.options"), Kind: "textarea", Optional: true, Help: t("decide.dialog.options_help")},
			{Name: "closes", Label: t("decide.dialog.closes"), Kind: "text", Default: t("decide.dialog.closes_default"), Help: t("decide.dialog.closes_help")},
			{Name: "quorum", Label: t("decide.dialog.quorum"), Kind: "text", Subtype: "number", Optional: true, Help: t("decide.dialog.quorum_help")},
			{Name: "anonymous", Label: t("decide.dialog.anonymous"), Kind: "bool", Optional: true, Help: t("decide.dialog.anonymous_help")},
			{Name: "hidden", Label: t("decide.dialog.hidden"), Kind: "bool", Optional: true, Help: t("decide.dialog.hidden_help")},
		}}
	return s.kit.OpenDialog(ctx, req, dlg, map[string]string{"channel": req.ChannelID})
}

// submitDecision validates the form field by field; nothing is written
// until every field is right.
func (s *Decide) submitDecision(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	member, err := s.chat.Member(ctx, sub.UserID)
	if err != nil {
		return nil, err
	}
	draft := bot.Draft{Title: sub.Text("title"), Details: sub.Text("details"), Kind: bot.Kind(sub.Text("kind")),
		Anonymous: sub.Values["anonymous"] == true, Hidden: sub.Values["hidden"] == true}
	if draft.Kind != bot.Poll {
		draft.Kind = bot.Proposal
	}
	fieldErr := func(field string, err error) (map[string]string, error) {
		return map[string]string{field: s.kit.Err(sub.Lang, err)}, nil
	}
	if draft.Kind == bot.Poll {
		draft.Options = strings.Split(sub.Text("options"), "\n")
	} else if strings.TrimSpace(sub.Text("options")) != "" {
		return fieldErr("options", bot.Errorf(bot.EINVALID, "decide.error.options_on_proposal"))
	}
	if draft.Duration, err = parseClosing(sub.Text("closes"), s.now(), member.Location); err != nil {
		return fieldErr("closes", err)
	}
	if q := strings.TrimSpace(quorumText(sub.Values["quorum"])); q != "" {
		if draft.Quorum, err = parseQuorum(q); err != nil {
			return fieldErr("quorum", err)
		}
	}
	if field, err := draft.Validate(); err != nil {
		return fieldErr(field, err)
	}
	req := sub.Request
	req.ChannelID = sub.State["channel"] // where the form was opened, not where the client says
	_, err = s.openDecision(ctx, req, sub.Lang, member, draft)
	return nil, err
}

// quorumText reads a number field, which clients send as text or number.
func quorumText(v any) string {
	switch q := v.(type) {
	case string:
		return q
	case float64:
		return strconv.FormatFloat(q, 'f', -1, 64)
	}
	return ""
}
