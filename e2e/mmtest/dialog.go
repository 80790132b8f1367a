package mmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Dialogs listens on the user's websocket for the dialogs Balise opens.
type Dialogs struct {
	ws   *model.WebSocketClient
	user *User
}

// ListenDialogs connects the user's websocket.
func (u *User) ListenDialogs() (*Dialogs, error) {
	ws, err := model.NewWebSocketClient4(strings.Replace(u.mm.URL, "http", "ws", 1), u.Client.AuthToken)
	if err != nil {
		return nil, fmt.Errorf("websocket for %s: %w", u.Username, err)
	}
	ws.Listen()
	return &Dialogs{ws: ws, user: u}, nil
}

// Close closes the websocket.
func (d *Dialogs) Close() { d.ws.Close() }

// Next waits for the next dialog opened for the user.
func (d *Dialogs) Next(timeout time.Duration) (*model.OpenDialogRequest, error) {
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-d.ws.EventChannel:
			if !ok {
				return nil, fmt.Errorf("websocket closed")
			}
			if ev.EventType() != model.WebsocketEventOpenDialog {
				continue
			}
			raw, _ := ev.GetData()["dialog"].(string)
			var req model.OpenDialogRequest
			if err := json.Unmarshal([]byte(raw), &req); err != nil {
				return nil, fmt.Errorf("open_dialog event: %w", err)
			}
			return &req, nil
		case <-deadline:
			return nil, fmt.Errorf("no dialog opened for %s within %s", d.user.Username, timeout)
		}
	}
}

// Submit submits a dialog as the user, with the given values, in channelID,
// and returns Balise's answer (field errors, if any).
func (u *User) Submit(ctx context.Context, dlg *model.OpenDialogRequest, channelID, teamID string, values map[string]any) (*model.SubmitDialogResponse, error) {
	resp, _, err := u.Client.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
		URL: dlg.URL, CallbackId: dlg.Dialog.CallbackId, State: dlg.Dialog.State,
		ChannelId: channelID, TeamId: teamID, Submission: values,
	})
	return resp, err
}
