package bot

// NudgeItem is what a weekly nudge says about one plan.
type NudgeItem struct {
	Plan    *Plan
	Steps   []Step // due this week or overdue, soonest first
	CheckIn bool   // ask "how many used the tool this week?"
	Stalled bool   // adoption flat for FlatWeeks: suggest a peer training session
}

// WeeklyNudge gathers, for one referent and the week starting on Monday
// week, what their plans need: steps due by the week's Sunday and not done,
// and a check-in for each plan whose tool is chosen and whose week is not
// answered yet. answered says whether a plan's week has a check-in;
// curves holds each plan's adoption curve. It returns nil when there is
// nothing to act on: no message then.
func WeeklyNudge(userID string, week Day, plans []*Plan, answered func(planID int64) bool, curves map[int64][]AdoptionPoint) []NudgeItem {
	var out []NudgeItem
	for _, p := range plans {
		if p.Archived() || !p.IsReferent(userID) {
			continue
		}
		it := NudgeItem{Plan: p, Steps: p.Open(week.AddDays(6)), CheckIn: p.CheckInDue() && !answered(p.ID)}
		it.Stalled = it.CheckIn && Stalled(curves[p.ID])
		if len(it.Steps) > 0 || it.CheckIn {
			out = append(out, it)
		}
	}
	return out
}
