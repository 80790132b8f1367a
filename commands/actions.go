package commands

import (
	"encoding/json"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/rs/zerolog"

	"balise/bot"
)

// A Click is a verified button click: who clicked (as Mattermost says),
// where, and the fields Balise signed into the button.
type Click struct {
	bot.Request
	PostID string
	Fields map[string]string
	Lang   bot.Lang
}

// actionField names the button context field that says which action runs.
const actionField = "a"

// serveAction verifies a click's signature before anything else looks at it.
func (s *Server) serveAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	log := zerolog.Ctx(ctx).With().Str("team_id", req.TeamId).Str("user_id", req.UserId).Str("post_id", req.PostId).Logger()
	fields, err := s.kit.signer.VerifyButton(req.Context)
	if err != nil || req.UserId == "" {
		log.Warn().Msg("click refused: bad signature")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	run, ok := s.routes.actions[fields[actionField]]
	if !ok {
		log.Warn().Str("action", fields[actionField]).Msg("click refused: unknown action")
		http.Error(w, "unknown action", http.StatusNotFound)
		return
	}
	ctx = log.With().Str("action", fields[actionField]).Logger().WithContext(ctx)
	noteOf(ctx).action = fields[actionField]
	c := &Click{
		Request: bot.Request{TeamID: fields["team"], ChannelID: req.ChannelId, UserID: req.UserId, TriggerID: req.TriggerId},
		PostID:  req.PostId,
		Fields:  fields,
	}
	if c.TeamID == "" {
		c.TeamID = req.TeamId
	}
	c.Lang = s.kit.Lang(ctx, c.TeamID, c.UserID)
	text, err := run(ctx, c)
	if err != nil {
		LogErr(ctx, err, "click failed")
		text = s.kit.Err(c.Lang, err)
	}
	writeJSON(w, http.StatusOK, &model.PostActionIntegrationResponse{EphemeralText: text})
}
