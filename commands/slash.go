package commands

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/rs/zerolog"

	"balise/bot"
)

// Input is a slash command as Mattermost sent it, with the member's language.
type Input struct {
	bot.Request
	Trigger string
	Text    string
	Lang    bot.Lang
	// Buttons, set by a command, go under its ephemeral reply.
	Buttons []bot.Button
}

// serveCommand verifies the command's token against the one stored for its
// team and trigger, then runs it. The reply is always ephemeral: what
// others should see, the bot posts itself.
func (s *Server) serveCommand(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	trigger := strings.TrimPrefix(strings.Fields(r.PostForm.Get("command") + " /")[0], "/")
	teamID, userID := r.PostForm.Get("team_id"), r.PostForm.Get("user_id")
	log := zerolog.Ctx(ctx).With().Str("command", trigger).Str("team_id", teamID).Str("user_id", userID).Logger()
	want, err := s.tokens.SlashCommandToken(ctx, teamID, trigger)
	if err != nil {
		log.Error().Err(err).Msg("read command token")
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	got := r.PostForm.Get("token")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		log.Warn().Msg("slash command refused: token does not match")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	c, ok := s.routes.commands[trigger]
	if !ok || userID == "" {
		http.Error(w, "unknown command", http.StatusNotFound)
		return
	}
	in := &Input{
		Request: bot.Request{TeamID: teamID, ChannelID: r.PostForm.Get("channel_id"), UserID: userID, TriggerID: r.PostForm.Get("trigger_id")},
		Trigger: trigger,
		Text:    strings.TrimSpace(r.PostForm.Get("text")),
	}
	ctx = log.WithContext(ctx)
	in.Lang = s.kit.Lang(ctx, teamID, userID)
	if !utf8.ValidString(in.Text) {
		writeJSON(w, http.StatusOK, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: s.kit.T(in.Lang, "error.text_invalid")})
		return
	}
	text, err := c.run(ctx, in)
	if err != nil {
		LogErr(ctx, err, "command failed")
		text = s.kit.Err(in.Lang, err)
	}
	resp := &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
	if err == nil && len(in.Buttons) > 0 {
		resp.Attachments = []*model.SlackAttachment{s.buttonsAttachment(in.Buttons)}
	}
	writeJSON(w, http.StatusOK, resp)
}

// buttonsAttachment renders buttons for an ephemeral reply. Mattermost
// keeps their context server-side (in an encrypted cookie), so clicks
// come back signed as from a regular post.
func (s *Server) buttonsAttachment(buttons []bot.Button) *model.SlackAttachment {
	a := &model.SlackAttachment{}
	for _, b := range buttons {
		a.Actions = append(a.Actions, &model.PostAction{Id: b.ID, Name: b.Label, Style: b.Style, Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: s.kit.actionURL, Context: b.Context}})
	}
	return a
}
