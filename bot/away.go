package bot

// Away is an absence: a member's (/plan away until ...), or the whole
// team's when UserID is "" (the office closed in August). From and Until
// are days in the member's zone, both included. Nudges stop while away;
// follow-ups go to stand-ins; due dates do not move.
type Away struct {
	TeamID string
	UserID string
	From   Day
	Until  Day
}

// Covers reports whether the absence includes day d.
func (a Away) Covers(d Day) bool { return !d.Before(a.From) && !d.After(a.Until) }

// Absences are the absences of a team that cover some day.
type Absences []Away

// Away reports whether a member is away on d, alone or with the team.
func (as Absences) Away(userID string, d Day) bool {
	for _, a := range as {
		if (a.UserID == userID || a.UserID == "") && a.Covers(d) {
			return true
		}
	}
	return false
}

// TeamAway returns the last day of the team-wide absence covering d: the
// schedules wait until the day after it.
func (as Absences) TeamAway(d Day) (Day, bool) {
	var until Day
	for _, a := range as {
		if a.UserID == "" && a.Covers(d) && a.Until.After(until) {
			until = a.Until
		}
	}
	return until, !until.IsZero()
}
