package plan

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"balise/bot"
	"balise/commands"
)

// The settings of all of Balise's direct messages live in one place,
// `/balise settings` (`/balise reglages`): quiet hours, weekends, a mute and
// the weekly look's day and time, stored as the member's ReminderSettings.
// The plans own them because only their schedules send unasked direct
// messages; they register the /balise subcommand through Routes.Balise.
// Every direct message of the plans carries a button that opens the same
// form.

// weekend is Saturday and Sunday, as ReminderSettings.Days.
const weekend uint8 = 1<<time.Saturday | 1<<time.Sunday

// runSettings answers `/balise settings`: what the member's settings are,
// and the form to change them.
func (s *Plans) runSettings(ctx context.Context, in *commands.Input) (string, error) {
	st, err := s.store.ReminderSettings(ctx, in.TeamID, in.UserID)
	if err != nil {
		return "", err
	}
	summary := s.settingsSummary(ctx, in.Lang, in.UserID, st)
	if err := s.openSettings(ctx, in.Request, in.Lang, st); err != nil {
		commands.LogErr(ctx, err, "open the settings form")
		return summary, nil
	}
	return summary + "\n" + s.kit.T(in.Lang, "plan.settings.opened"), nil
}

// clickSettings opens the form from a follow-up's or a nudge's button.
func (s *Plans) clickSettings(ctx context.Context, c *commands.Click) (string, error) {
	st, err := s.store.ReminderSettings(ctx, c.TeamID, c.UserID)
	if err != nil {
		return "", err
	}
	return "", s.openSettings(ctx, c.Request, c.Lang, st)
}

// settingsButton leads from a direct message to the settings form.
func (s *Plans) settingsButton(l bot.Lang, teamID string) bot.Button {
	return s.kit.Button("settings", s.kit.T(l, "plan.button.settings"), "default", "plansettings", map[string]string{"team": teamID})
}

func clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// weekdays returns the weekdays' names in l, Sunday first.
func (s *Plans) weekdays(l bot.Lang) []string {
	days := splitList(s.kit.T(l, "plan.weekdays"))
	if len(days) != 7 {
		days = nil
		for d := time.Sunday; d <= time.Saturday; d++ {
			days = append(days, d.String())
		}
	}
	return days
}

func (s *Plans) openSettings(ctx context.Context, req bot.Request, l bot.Lang, st bot.ReminderSettings) error {
	weekends, muted := "off", "off"
	if st.Days&weekend == weekend {
		weekends = "on"
	}
	if st.Muted {
		muted = "on"
	}
	days := s.weekdays(l)
	var dayOptions []bot.Option
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		dayOptions = append(dayOptions, bot.Option{Label: days[d], Value: strconv.Itoa(int(d))})
	}
	quietFrom, quietTo := clock(st.QuietFrom), clock(st.QuietTo)
	if st.QuietFrom == st.QuietTo {
		quietFrom, quietTo = "", ""
	}
	t := func(id string) string { return s.kit.T(l, id) }
	dlg := bot.Dialog{CallbackID: "plansettings", Title: t("plan.button.settings"), SubmitLabel: t("plan.dialog.save"),
		Intro: t("plan.settings.intro"),
		Fields: []bot.Field{
			{Name: "quiet_from", Label: t("plan.settings.quiet_from"), Kind: "text", Default: quietFrom, Optional: true,
				Help: t("plan.settings.quiet_help")},
			{Name: "quiet_to", Label: t("plan.settings.quiet_to"), Kind: "text", Default: quietTo, Optional: true},
			{Name: "weekends", Label: t("plan.settings.weekends"), Kind: "radio", Default: weekends, Options: []bot.Option{
				{Label: t("plan.settings.weekends_off"), Value: "off"}, {Label: t("plan.settings.weekends_on"), Value: "on"}}},
			{Name: "muted", Label: t("plan.settings.muted"), Kind: "radio", Default: muted, Options: []bot.Option{
				{Label: t("plan.settings.muted_off"), Value: "off"}, {Label: t("plan.settings.muted_on"), Value: "on"}},
				Help: t("plan.settings.muted_help")},
			{Name: "nudge_day", Label: t("plan.settings.nudge_day"), Kind: "select", Default: strconv.Itoa(int(st.NudgeDay)),
				Options: dayOptions},
			{Name: "nudge_at", Label: t("plan.settings.nudge_at"), Kind: "text", Default: clock(st.NudgeAt),
				Help: t("plan.settings.nudge_help")},
		}}
	return s.kit.OpenDialog(ctx, req, dlg, nil)
}

// submitSettings stores the form, then re-arms what the member gets: their
// weekly look, and the follow-ups of the plans they follow, so that the
// new hours apply to what was already scheduled.
func (s *Plans) submitSettings(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	st, err := s.store.ReminderSettings(ctx, sub.TeamID, sub.UserID)
	if err != nil {
		return nil, err
	}
	errs := map[string]string{}
	bad := s.kit.T(sub.Lang, "plan.settings.bad_time")
	from, to := strings.TrimSpace(sub.Text("quiet_from")), strings.TrimSpace(sub.Text("quiet_to"))
	switch {
	case from == "" && to == "":
		st.QuietFrom, st.QuietTo = 0, 0
	default:
		f, ok1 := parseClock(from)
		t, ok2 := parseClock(to)
		if !ok1 {
			errs["quiet_from"] = bad
		}
		if !ok2 {
			errs["quiet_to"] = bad
		}
		st.QuietFrom, st.QuietTo = f, t
	}
	st.Days = st.Days&^weekend | bot.Weekdays
	if sub.Text("weekends") == "on" {
		st.Days |= weekend
	}
	st.Muted = sub.Text("muted") == "on"
	day, err := strconv.Atoi(sub.Text("nudge_day"))
	if err != nil || day < 0 || day > 6 {
		errs["nudge_day"] = bad
	}
	st.NudgeDay = time.Weekday(day)
	at, ok := parseClock(sub.Text("nudge_at"))
	if !ok {
		errs["nudge_at"] = bad
	}
	st.NudgeAt = at
	if len(errs) > 0 {
		return errs, nil
	}
	if err := s.store.SetReminderSettings(ctx, sub.TeamID, sub.UserID, st); err != nil {
		return nil, err
	}
	return nil, s.rearm(ctx, sub.TeamID, sub.UserID)
}

// maxRearm caps how many of a team's plans a change of settings re-arms.
const maxRearm = 500

// rearm rebuilds a member's schedule after their settings changed: their
// weekly look if they are a referent, and the follow-ups of the plans where
// they are a referent or own an open step.
func (s *Plans) rearm(ctx context.Context, teamID, userID string) error {
	plans, err := s.store.ListPlans(ctx, teamID, bot.PlanFilter{Limit: maxRearm})
	if err != nil {
		return err
	}
	referent := false
	for _, p := range plans {
		involved := p.IsReferent(userID) || slices.ContainsFunc(p.Steps, func(st bot.Step) bool { return st.OwnerID == userID && !st.Done() })
		if !involved {
			continue
		}
		referent = referent || p.IsReferent(userID)
		if _, err := s.edit(ctx, p, func(*bot.Plan) error { return nil }); err != nil {
			return err
		}
	}
	if referent {
		if err := s.armNudge(ctx, teamID, userID, true); err != nil {
			return err
		}
	}
	s.sched.Wake()
	return nil
}

// settingsSummary says a member's settings in one line.
func (s *Plans) settingsSummary(ctx context.Context, l bot.Lang, userID string, st bot.ReminderSettings) string {
	quiet := s.kit.T(l, "plan.settings.no_quiet")
	if st.QuietFrom != st.QuietTo {
		quiet = s.kit.T(l, "plan.settings.quiet", "from", clock(st.QuietFrom), "to", clock(st.QuietTo))
	}
	weekends := s.kit.T(l, "plan.settings.summary_weekends_off")
	if st.Days&weekend == weekend {
		weekends = s.kit.T(l, "plan.settings.summary_weekends_on")
	}
	text := s.kit.T(l, "plan.settings.summary", "quiet", quiet, "weekends", weekends, "day", s.weekdays(l)[st.NudgeDay],
		"time", clock(st.NudgeAt), "zone", s.kit.Location(ctx, userID).String())
	if st.Muted {
		text += "\n" + s.kit.T(l, "plan.settings.summary_muted")
	}
	return text
}

// parseClock reads "20:00", "20h", "8h30", "8": minutes after midnight.
func parseClock(v string) (int, bool) {
	v = strings.TrimSpace(strings.ToLower(v))
	if v == "" {
		return 0, false
	}
	t := strings.NewReplacer("h", ":").Replace(v)
	hh, mm, _ := strings.Cut(t, ":")
	h, err := strconv.Atoi(hh)
	m := 0
	if err == nil && mm != "" {
		m, err = strconv.Atoi(mm)
	}
	if err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}
