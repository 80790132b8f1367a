package mmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Dialogs listens on the user's websocket for what reaches only them: the
// dialogs Balise opens and the ephemeral replies with buttons.
type Dialogs struct {
	ws        *model.WebSocketClient
	user      *User
	dialogs   chan *model.OpenDialogRequest
	ephemeral chan *model.Post
}

// ListenDialogs connects the user's websocket.
func (u *User) ListenDialogs() (*Dialogs, error) {
	ws, err := model.NewWebSocketClient4(strings.Replace(u.mm.URL, "http", "ws", 1), u.Client.AuthToken)
	if err != nil {
		return nil, fmt.Errorf("websocket for %s: %w", u.Username, err)
	}
	ws.Listen()
	d := &Dialogs{ws: ws, user: u, dialogs: make(chan *model.OpenDialogRequest, 16), ephemeral: make(chan *model.Post, 64)}
	go d.dispatch()
	return d, nil
}

func (d *Dialogs) dispatch() {
	for ev := range d.ws.EventChannel {
		raw := ""
		switch ev.EventType() {
		case model.WebsocketEventOpenDialog:
			raw, _ = ev.GetData()["dialog"].(string)
			var req model.OpenDialogRequest
			if json.Unmarshal([]byte(raw), &req) == nil {
				d.dialogs <- &req
			}
		case model.WebsocketEventEphemeralMessage:
			raw, _ = ev.GetData()["post"].(string)
			var p model.Post
			if json.Unmarshal([]byte(raw), &p) == nil {
				d.ephemeral <- &p
			}
		}
	}
	close(d.dialogs)
	close(d.ephemeral)
}

// Close closes the websocket.
func (d *Dialogs) Close() { d.ws.Close() }

// Next waits for the next dialog opened for the user.
func (d *Dialogs) Next(timeout time.Duration) (*model.OpenDialogRequest, error) {
	select {
	case req, ok := <-d.dialogs:
		if !ok {
			return nil, fmt.Errorf("websocket closed")
		}
		return req, nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("no dialog opened for %s within %s", d.user.Username, timeout)
	}
}

// Ephemeral waits for an ephemeral post to the user that has a button
// whose label contains label.
func (d *Dialogs) Ephemeral(timeout time.Duration, label string) (*model.Post, error) {
	deadline := time.After(timeout)
	for {
		select {
		case p, ok := <-d.ephemeral:
			if !ok {
				return nil, fmt.Errorf("websocket closed")
			}
			if ActionID(p, label) != "" {
				return p, nil
			}
		case <-deadline:
			return nil, fmt.Errorf("no ephemeral post with %q for %s within %s", label, d.user.Username, timeout)
		}
	}
}

// EphemeralText waits for an ephemeral post to the user whose message
// contains text, and returns the message.
func (d *Dialogs) EphemeralText(timeout time.Duration, text string) (string, error) {
	deadline := time.After(timeout)
	var seen []string
	for {
		select {
		case p, ok := <-d.ephemeral:
			if !ok {
				return "", fmt.Errorf("websocket closed")
			}
			if strings.Contains(p.Message, text) {
				return p.Message, nil
			}
			seen = append(seen, p.Message)
		case <-deadline:
			return "", fmt.Errorf("no ephemeral message with %q for %s within %s; saw %q", text, d.user.Username, timeout, seen)
		}
	}
}

// ClickEphemeral clicks a button of an ephemeral post, which Mattermost
// finds through the cookie it gave the client.
func (u *User) ClickEphemeral(ctx context.Context, p *model.Post, label string) error {
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			if strings.Contains(act.Name, label) {
				_, err := u.Client.DoPostActionWithCookie(ctx, p.Id, act.Id, "", act.Cookie)
				return err
			}
		}
	}
	return fmt.Errorf("no button %q", label)
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

// Said waits for an ephemeral post to the user whose text contains text
// (a click's answer), skipping others.
func (d *Dialogs) Said(timeout time.Duration, text string) (*model.Post, error) {
	deadline := time.After(timeout)
	for {
		select {
		case p, ok := <-d.ephemeral:
			if !ok {
				return nil, fmt.Errorf("websocket closed")
			}
			if strings.Contains(p.Message, text) {
				return p, nil
			}
		case <-deadline:
			return nil, fmt.Errorf("no ephemeral post saying %q to %s within %s", text, d.user.Username, timeout)
		}
	}
}
