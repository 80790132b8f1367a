package bot

import "time"

// FrenchHolidays reports whether d is a public holiday in metropolitan
// France: the eight fixed days, and Easter Monday, Ascension Day and Whit
// Monday, which follow Easter. It is the teams' default calendar.
func FrenchHolidays(d Day) bool {
	y, m, day := d.Date()
	switch {
	case m == time.January && day == 1, m == time.May && (day == 1 || day == 8), m == time.July && day == 14,
		m == time.August && day == 15, m == time.November && (day == 1 || day == 11), m == time.December && day == 25:
		return true
	}
	easter := Easter(y)
	for _, after := range []int{1, 39, 50} { // Monday, Ascension, Whit Monday
		if d == easter.AddDays(after) {
			return true
		}
	}
	return false
}

// Easter returns Easter Sunday of year y in the Gregorian calendar
// (the anonymous algorithm, Meeus/Jones/Butcher).
func Easter(y int) Day {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDay(y, time.Month(month), day)
}
