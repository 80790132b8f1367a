package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseWhen reads when something should happen, as members type it in
// French or English, relative to now and in the member's zone loc:
//
//   - a duration: 30min, 48h, 7d, 7j, 2w, 2sem, +3j, "in 2 weeks", "dans 2 semaines";
//     days, weeks and months are calendar ones (the same time of day, on
//     daylight-saving days too);
//   - a date: 2026-12-01, 1/12 (day/month, as in France; next year's when
//     it is past), 1/12/2026, "1er décembre", demain, tomorrow, lundi, monday
//     (the next one after today), optionally followed by a time: 18:00, 18h,
//     18h30, "à 18h". A date without a time is at defaultHour:00. A time
//     alone is today's, or tomorrow's once passed; "14h" alone is a duration.
//
// It returns an EINVALID error with key when.error.format when it cannot
// read v.
func ParseWhen(v string, now time.Time, loc *time.Location, defaultHour int) (time.Time, error) {
	w, err := parseWhen(v, now, loc)
	switch {
	case err != nil:
		return time.Time{}, err
	case !w.at.IsZero():
		return w.at, nil
	case w.minute >= 0:
		return w.day.At(w.minute/60, w.minute%60, loc), nil
	}
	return w.day.At(defaultHour, 0, loc), nil
}

// ParseDay reads a calendar date as ParseWhen does (a duration names the
// day it ends on, a time of day is ignored): due dates and absences are
// days in a zone.
func ParseDay(v string, now time.Time, loc *time.Location) (Day, error) {
	w, err := parseWhen(v, now, loc)
	switch {
	case err != nil:
		return Day{}, err
	case !w.at.IsZero():
		return DayOf(w.at, loc), nil
	}
	return w.day, nil
}

// when is what parseWhen read: an instant, or a day with a time of day in
// minutes (-1 for none).
type when struct {
	at     time.Time
	day    Day
	minute int
}

var (
	durationRE = regexp.MustCompile(`^\+?(\d{1,4}) ?(m|mn|min|mins|minutes?|h|hr|hrs|heures?|hours?|d|j|jours?|days?|w|sem|semaines?|weeks?|mois|months?)$`)
	timeRE     = regexp.MustCompile(`^(.*?) ?(?:(?:a|at) )?(\d{1,2})(?:h(\d{2})?|:(\d{2}))$`)
	isoRE      = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	slashRE    = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?$`)
	monthRE    = regexp.MustCompile(`^(\d{1,2})(?:er|st|nd|rd|th)? ([a-z]+)\.?(?: (\d{4}))?$`)
	folder     = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "û", "u", "ô", "o", "à", "a", "’", "'", "\u00a0", " ")
)

var months = map[string]time.Month{
	"janvier": 1, "janv": 1, "january": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
	"mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4, "april": 4, "apr": 4, "mai": 5, "may": 5,
	"juin": 6, "june": 6, "jun": 6, "juillet": 7, "juil": 7, "july": 7, "jul": 7, "aout": 8, "august": 8, "aug": 8,
	"septembre": 9, "sept": 9, "september": 9, "sep": 9, "octobre": 10, "oct": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11, "decembre": 12, "dec": 12, "december": 12,
}

var weekdays = map[string]time.Weekday{
	"lundi": time.Monday, "monday": time.Monday, "mardi": time.Tuesday, "tuesday": time.Tuesday,
	"mercredi": time.Wednesday, "wednesday": time.Wednesday, "jeudi": time.Thursday, "thursday": time.Thursday,
	"vendredi": time.Friday, "friday": time.Friday, "samedi": time.Saturday, "saturday": time.Saturday,
	"dimanche": time.Sunday, "sunday": time.Sunday,
}

// relative days from today, by name
var relative = map[string]int{
	"aujourd'hui": 0, "today": 0, "demain": 1, "tomorrow": 1, "apres-demain": 2, "apres demain": 2,
}

func parseWhen(v string, now time.Time, loc *time.Location) (when, error) {
	bad := Errorf(EINVALID, "when.error.format", "value", v)
	s := strings.Join(strings.Fields(folder.Replace(strings.ToLower(v))), " ")
	for _, p := range []string{"in ", "dans ", "le ", "on "} {
		s = strings.TrimPrefix(s, p)
	}
	if s == "" {
		return when{}, bad
	}
	now = now.In(loc)
	today := DayOf(now, loc)
	if m := durationRE.FindStringSubmatch(s); m != nil {
		return when{at: addDuration(now, m[1], m[2])}, nil
	}
	if len(s) > 10 && isoRE.MatchString(s[:10]) && s[10] == 't' {
		s = s[:10] + " " + s[11:] // 2026-12-01T18:00
	}
	w := when{minute: -1}
	if m := timeRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3] + m[4])
		if h > 23 || mins > 59 {
			return w, bad
		}
		w.minute, s = h*60+mins, m[1]
	}
	day, ok := parseDate(s, today)
	if !ok {
		return w, bad
	}
	if s == "" && w.minute >= 0 && day.At(w.minute/60, w.minute%60, loc).Before(now) {
		day = day.AddDays(1) // a time alone that has passed today is tomorrow's
	}
	w.day = day
	return w, nil
}

func addDuration(now time.Time, number, unit string) time.Time {
	n, _ := strconv.Atoi(number)
	switch {
	case strings.HasPrefix(unit, "mo"):
		return now.AddDate(0, n, 0)
	case unit[0] == 'm':
		return now.Add(time.Duration(n) * time.Minute)
	case unit[0] == 'h':
		return now.Add(time.Duration(n) * time.Hour)
	case unit[0] == 'w' || unit[0] == 's':
		return now.AddDate(0, 0, 7*n)
	}
	return now.AddDate(0, 0, n)
}

// parseDate reads the date part of a value; "" is today.
func parseDate(s string, today Day) (Day, bool) {
	if n, ok := relative[s]; ok || s == "" {
		return today.AddDays(n), true
	}
	name := strings.TrimPrefix(strings.TrimSuffix(s, " prochain"), "next ")
	if wd, ok := weekdays[name]; ok {
		ahead := (int(wd)-int(today.Weekday())+6)%7 + 1 // 1..7: the next one after today
		return today.AddDays(ahead), true
	}
	if m := isoRE.FindStringSubmatch(s); m != nil {
		return validDay(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	y, mon, d := 0, 0, 0
	if m := slashRE.FindStringSubmatch(s); m != nil {
		d, mon, y = atoi(m[1]), atoi(m[2]), atoi(m[3])
	} else if m := monthRE.FindStringSubmatch(s); m != nil && months[m[2]] != 0 {
		d, mon, y = atoi(m[1]), int(months[m[2]]), atoi(m[3])
	} else {
		return Day{}, false
	}
	if y > 0 && y < 100 {
		y += 2000
	}
	if y > 0 {
		return validDay(y, mon, d)
	}
	day, ok := validDay(today.year, mon, d)
	if ok && day.Before(today) {
		day, ok = validDay(today.year+1, mon, d) // 1/12 in January is next December; 29/2 may not exist
	}
	return day, ok
}

// validDay refuses dates that time.Date would roll over (31/2).
func validDay(y, m, d int) (Day, bool) {
	day := NewDay(y, time.Month(m), d)
	return day, m >= 1 && m <= 12 && day.day == d && day.month == time.Month(m)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
