package bot

import (
	"fmt"
	"time"
)

// Day is a calendar date without a time or a zone: a step's due date, the
// week of an adoption check-in. Moments on a day are built from its fields
// in a zone (At), never by adding hours to its midnight, so that they hold
// on daylight-saving days.
type Day struct {
	year  int
	month time.Month
	day   int
}

// NewDay returns the day y-m-d, normalised as time.Date does (January 32 is
// February 1).
func NewDay(y int, m time.Month, d int) Day {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return Day{t.Year(), t.Month(), t.Day()}
}

// DayOf returns the calendar date of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// ParseISODay reads a day written 2006-01-02.
func ParseISODay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("day %q: %w", s, err)
	}
	return Day{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether d is the zero Day (no date).
func (d Day) IsZero() bool { return d == Day{} }

// String writes d as 2006-01-02, "" for the zero Day.
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, d.month, d.day)
}

// Date returns the year, month and day of d.
func (d Day) Date() (int, time.Month, int) { return d.year, d.month, d.day }

// At returns the moment hour:min on d in loc. On a day when that time does
// not exist (the spring change), it is as long after the change as the time
// asked is after its start: 02:30 is 03:30 when clocks jump from 02:00 to
// 03:00, in every zone (time.Date alone gives 03:30 in Paris but 01:30 in
// Montreal).
func (d Day) At(hour, min int, loc *time.Location) time.Time {
	t := time.Date(d.year, d.month, d.day, hour, min, 0, 0, loc)
	if got, want := t.Hour()*60+t.Minute(), hour*60+min; t.Day() == d.day && got < want {
		t = t.Add(time.Duration(want-got) * time.Minute)
	}
	return t
}

// AddDays returns the day n calendar days after d (before, if n < 0).
func (d Day) AddDays(n int) Day { return NewDay(d.year, d.month, d.day+n) }

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday { return d.noon().Weekday() }

// Before reports whether d comes before e.
func (d Day) Before(e Day) bool { return d.noon().Before(e.noon()) }

// After reports whether d comes after e.
func (d Day) After(e Day) bool { return e.Before(d) }

// DaysSince returns how many calendar days go from e to d (negative when d
// is before e).
func (d Day) DaysSince(e Day) int { return int(d.noon().Sub(e.noon()).Hours() / 24) }

// Monday returns the Monday of d's week (weeks start on Monday, as in
// France): the key of a week's adoption check-in.
func (d Day) Monday() Day { return d.AddDays(-((int(d.Weekday()) + 6) % 7)) }

func (d Day) noon() time.Time { return time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC) }
