package bot

import "time"

// ReminderSettings say when a member accepts Balise's direct messages
// (follow-ups and nudges): one place for all of them, /balise settings.
type ReminderSettings struct {
	// No message from QuietFrom to QuietTo, in minutes after local
	// midnight; overnight when QuietFrom > QuietTo; equal: no quiet hours.
	QuietFrom, QuietTo int
	// Days holds the weekdays a message may come, bit 1<<time.Weekday.
	Days uint8
	// Muted is "never": no follow-up and no nudge by direct message.
	Muted bool
	// The weekly nudge comes on NudgeDay at NudgeAt minutes after midnight.
	NudgeDay time.Weekday
	NudgeAt  int
}

// Weekdays is Monday to Friday, as ReminderSettings.Days.
const Weekdays uint8 = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// DefaultReminderSettings: nothing between 20:00 and 08:00 nor on weekends;
// the nudge on Monday at 09:00.
func DefaultReminderSettings() ReminderSettings {
	return ReminderSettings{QuietFrom: 20 * 60, QuietTo: 8 * 60, Days: Weekdays, NudgeDay: time.Monday, NudgeAt: 9 * 60}
}

// Person is a member as the schedules need them: their zone (Mattermost's
// setting, else the default time zone) and their settings.
type Person struct {
	ID       string
	Location *time.Location
	Settings ReminderSettings
}

// Holidays reports whether a day is a public holiday of the team (the French
// calendar by default); nil knows none.
type Holidays func(Day) bool

func (h Holidays) on(d Day) bool { return h != nil && h(d) }

// dayOpen reports whether messages may come on d at all.
func (s ReminderSettings) dayOpen(d Day, h Holidays) bool {
	return s.Days&(1<<d.Weekday()) != 0 && !h.on(d)
}

// quiet reports whether minute m of a day falls in the quiet hours.
func (s ReminderSettings) quiet(m int) bool {
	if s.QuietFrom < s.QuietTo {
		return m >= s.QuietFrom && m < s.QuietTo
	}
	return s.QuietFrom != s.QuietTo && (m >= s.QuietFrom || m < s.QuietTo)
}

// Next returns the first moment at or after t when a message may reach the
// member in loc: on an open day, outside quiet hours. With no open day at
// all, it returns t.
func (s ReminderSettings) Next(t time.Time, loc *time.Location, h Holidays) time.Time {
	day := DayOf(t, loc)
	for i := 0; i < 400; i++ {
		d := day.AddDays(i)
		if !s.dayOpen(d, h) {
			continue
		}
		for _, c := range []time.Time{t, d.At(0, 0, loc), d.At(s.QuietTo/60, s.QuietTo%60, loc)} {
			c = c.In(loc)
			if !c.Before(t) && DayOf(c, loc) == d && !s.quiet(c.Hour()*60+c.Minute()) {
				return c
			}
		}
	}
	return t
}

// On returns when a message meant for minute of day d reaches the member:
// at that time on the first open day from d (a weekend or a public holiday
// moves it, keeping its time), then out of quiet hours.
func (s ReminderSettings) On(d Day, minute int, loc *time.Location, h Holidays) time.Time {
	for i := 0; i < 14 && !s.dayOpen(d, h); i++ {
		d = d.AddDays(1)
	}
	return s.Next(d.At(minute/60, minute%60, loc), loc, h)
}

// NextNudge returns when the weekly nudge after the one due at (or, the
// first time, after now) falls: the next NudgeDay at NudgeAt local time
// strictly after it, moved as On moves it. It is built from calendar fields
// in loc, so a nudge is never skipped nor doubled across daylight-saving
// changes. The second result is the week it is for (the Monday of its
// nominal day), which keys it.
func (s ReminderSettings) NextNudge(after time.Time, loc *time.Location, h Holidays) (time.Time, Day) {
	d := DayOf(after, loc)
	d = d.AddDays((int(s.NudgeDay) - int(d.Weekday()) + 7) % 7)
	if !d.At(s.NudgeAt/60, s.NudgeAt%60, loc).After(after) {
		d = d.AddDays(7)
	}
	return s.On(d, s.NudgeAt, loc, h), d.Monday()
}
