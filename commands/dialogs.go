package commands

import (
	"encoding/json"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/rs/zerolog"

	"balise/bot"
)

// A Submission is a verified dialog submission.
type Submission struct {
	bot.Request
	State  map[string]string // what Balise signed when it opened the dialog
	Values map[string]any    // what the member filled in
	Lang   bot.Lang
}

// Text returns a submitted text value, "" when absent.
func (s *Submission) Text(name string) string {
	v, _ := s.Values[name].(string)
	return v
}

// serveDialog verifies the dialog's state, bound to its callback id and to
// the member who submits, before anything else looks at it.
func (s *Server) serveDialog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req model.SubmitDialogRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	log := zerolog.Ctx(ctx).With().Str("team_id", req.TeamId).Str("user_id", req.UserId).Str("dialog", req.CallbackId).Logger()
	state, err := s.kit.signer.VerifyDialog(req.CallbackId, req.UserId, req.State)
	if err != nil || req.UserId == "" {
		log.Warn().Msg("dialog refused: bad state")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	run, ok := s.routes.dialogs[req.CallbackId]
	if !ok {
		http.Error(w, "unknown dialog", http.StatusNotFound)
		return
	}
	if req.Cancelled {
		w.WriteHeader(http.StatusOK)
		return
	}
	ctx = log.WithContext(ctx)
	sub := &Submission{
		Request: bot.Request{TeamID: state["team"], ChannelID: req.ChannelId, UserID: req.UserId},
		State:   state,
		Values:  req.Submission,
	}
	sub.Lang = s.kit.Lang(ctx, sub.TeamID, sub.UserID)
	fieldErrs, err := run(ctx, sub)
	if err != nil {
		LogErr(ctx, err, "dialog failed")
		writeJSON(w, http.StatusOK, &model.SubmitDialogResponse{Error: s.kit.Err(sub.Lang, err)})
		return
	}
	if len(fieldErrs) > 0 {
		writeJSON(w, http.StatusOK, &model.SubmitDialogResponse{Errors: fieldErrs})
		return
	}
	w.WriteHeader(http.StatusOK)
}
