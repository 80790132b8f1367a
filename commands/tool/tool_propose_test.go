package tool

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// Each /tool answer carries a button that opens the decision form about it.
func TestToolAnswersProposeToTheBoard(t *testing.T) {
	r := MustToolServer(t, nil)
	form := url.Values{"token": {"tok"}, "team_id": {"team"}, "channel_id": {"board"}, "user_id": {"alex"},
		"command": {"/tool"}, "text": {"alternative to doodle"}, "trigger_id": {"trig"}}
	req := httptest.NewRequest("POST", "/commands", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, req)
	var resp model.CommandResponse
	json.Unmarshal(rec.Body.Bytes(), &resp)
	if len(resp.Attachments) != 1 || len(resp.Attachments[0].Actions) < 2 {
		t.Fatalf("answer attachments = %+v, want one propose button per answer", resp.Attachments)
	}
	first := resp.Attachments[0].Actions[0]
	if first.Name != "Propose Framadate to the board" || first.Integration.URL != "http://balise/actions" {
		t.Errorf("first button = %q to %s", first.Name, first.Integration.URL)
	}
	body, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: "alex", ChannelId: "board", TeamId: "team",
		TriggerId: "trig2", Context: first.Integration.Context})
	rec = httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, httptest.NewRequest("POST", "/actions", bytes.NewReader(body)))
	if rec.Code != 200 || len(r.Chat.Dialogs()) != 1 {
		t.Fatalf("click: status %d, %d dialogs opened", rec.Code, len(r.Chat.Dialogs()))
	}
	d := r.Chat.Dialogs()[0]
	if d.CallbackID != "decide" || d.Fields[0].Default != "Adopt Framadate" || !strings.Contains(d.Fields[1].Default, "https://") {
		t.Errorf("dialog = %+v, want the decision form titled Adopt Framadate with the tool's details", d)
	}
}
