package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

// The null integration is the limit for anything that goes through
// Mattermost: an endpoint on loopback that answers a slash command with a
// fixed ephemeral text and a click with a fixed update of the card (the
// same buttons, so that the next click finds them), doing nothing else.
type nullIntegration struct {
	URL     string
	srv     *http.Server
	buttons []*model.PostAction
}

var nullLabels = []string{"Agree", "Abstain", "Disagree"}

func startNull() (*nullIntegration, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	n := &nullIntegration{URL: "http://" + l.Addr().String()}
	for i, label := range nullLabels {
		n.buttons = append(n.buttons, &model.PostAction{Id: fmt.Sprintf("null%d", i), Name: label, Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: n.URL + "/action", Context: map[string]any{"choice": i}}})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /command", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "null"})
	})
	card := n.card()
	mux.HandleFunc("POST /action", func(w http.ResponseWriter, r *http.Request) {
		var req model.PostActionIntegrationRequest
		json.NewDecoder(r.Body).Decode(&req)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(model.PostActionIntegrationResponse{Update: card})
	})
	n.srv = &http.Server{Handler: mux}
	go n.srv.Serve(l)
	return n, nil
}

// card is the null integration's post: a message and the three buttons.
func (n *nullIntegration) card() *model.Post {
	p := &model.Post{Message: "null card"}
	p.AddProp("attachments", []*model.SlackAttachment{{Text: "Null integration", Actions: n.buttons}})
	return p
}

// post creates the null card in a channel with the admin's token.
func (n *nullIntegration) post(ctx context.Context, admin *mmtest.User, channelID string) (*model.Post, error) {
	p := n.card()
	p.ChannelId = channelID
	created, _, err := admin.Client.CreatePost(ctx, p)
	return created, err
}

// register makes /null a slash command of the team, answered by the null
// integration.
func (n *nullIntegration) register(ctx context.Context, mm *mmtest.Mattermost) error {
	_, _, err := mm.Admin.Client.CreateCommand(ctx, &model.Command{TeamId: mm.Team.Id, Trigger: "null", Method: model.CommandMethodPost,
		URL: n.URL + "/command", DisplayName: "null", Description: "the null integration"})
	return err
}

func (n *nullIntegration) stop() { n.srv.Close() }
