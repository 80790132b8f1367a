package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"balise/commands/commandstest"
)

// /balise reglages shows the member's settings and opens the form; the
// form stores them and re-arms the weekly look; a bad time is a field
// error; /balise help lists it.
func TestBaliseSettings(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	if got := f.rig.Run("camille", "balise", "aide"); !strings.Contains(got, "/balise reglages") {
		t.Errorf("help = %q, want the settings line", got)
	}
	got := f.rig.Run("camille", "balise", "reglages")
	if !strings.Contains(got, "calme de 20:00 à 08:00") || !strings.Contains(got, "lundi à 09:00") {
		t.Errorf("settings = %q, want the defaults", got)
	}
	dlgs := f.rig.Chat.Dialogs()
	if len(dlgs) != 1 || dlgs[0].CallbackID != "plansettings" {
		t.Fatalf("dialogs = %+v, want the settings form", dlgs)
	}
	if code, resp := f.rig.Submit("camille", "dm", "plansettings", map[string]any{"quiet_from": "21h", "quiet_to": "25:00",
		"weekends": "on", "muted": "off", "nudge_day": "5", "nudge_at": "16h30"}); code != 200 || resp.Errors["quiet_to"] == "" {
		t.Errorf("25:00 = %d %+v, want a field error", code, resp)
	}
	if code, resp := f.rig.Submit("camille", "dm", "plansettings", map[string]any{"quiet_from": "21h", "quiet_to": "7:00",
		"weekends": "on", "muted": "off", "nudge_day": "5", "nudge_at": "16h30"}); code != 200 || resp.Error != "" || len(resp.Errors) > 0 {
		t.Fatalf("submit = %d %+v", code, resp)
	}
	st, err := f.db.ReminderSettings(context.Background(), "team", "camille")
	if err != nil || st.QuietFrom != 21*60 || st.QuietTo != 7*60 || st.Days != 0x7f || st.NudgeDay != time.Friday || st.NudgeAt != 16*60+30 || st.Muted {
		t.Fatalf("stored %+v %v", st, err)
	}
	f.at(f.clock.Now())
	if at, _ := f.plans.Armed(); !at.Equal(time.Date(2026, 11, 27, 16, 30, 0, 0, paris(t))) {
		t.Errorf("next send = %v, want camille's look on Friday 27 at 16:30", at)
	}
	if got := f.rig.Run("camille", "balise", "settings"); !strings.Contains(got, "calme de 21:00 à 07:00") || !strings.Contains(got, "week-end aussi") {
		t.Errorf("settings = %q, want the new ones", got)
	}
}

// Every direct message of the plans has a button to the settings form; a
// muted member gets no weekly look.
func TestNudgeLeadsToSettingsAndMuteSilences(t *testing.T) {
	loc := paris(t)
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.at(time.Date(2026, 11, 30, 9, 0, 0, 0, loc)) // the first weekly look
	dms := f.rig.Chat.DMs("alex")
	if len(dms) != 1 {
		t.Fatalf("alex got %d messages, want the weekly look", len(dms))
	}
	if code, _ := f.rig.ClickContext("alex", "dm", button(t, dms[0], "settings")); code != 200 {
		t.Fatalf("settings click = %d", code)
	}
	dlgs := f.rig.Chat.Dialogs()
	if len(dlgs) != 1 || dlgs[0].CallbackID != "plansettings" || dlgs[0].Title != "My reminder settings" {
		t.Fatalf("dialogs = %+v, want the settings form in English", dlgs)
	}
	if code, resp := f.rig.Submit("alex", "dm", "plansettings", map[string]any{"quiet_from": "", "quiet_to": "",
		"weekends": "off", "muted": "on", "nudge_day": "1", "nudge_at": "9:00"}); code != 200 || len(resp.Errors) > 0 {
		t.Fatalf("submit = %d %+v", code, resp)
	}
	f.at(time.Date(2026, 12, 7, 9, 0, 0, 0, loc))
	if n := len(f.rig.Chat.DMs("alex")); n != 1 {
		t.Errorf("muted alex got %d messages, want still 1", n)
	}
	if n := len(f.rig.Chat.DMs("camille")); n != 2 {
		t.Errorf("camille got %d messages, want her two weekly looks", n)
	}
}
