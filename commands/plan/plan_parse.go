package plan

import (
	"strings"
	"time"
)

var weekdayNames = map[string]time.Weekday{
	"lundi": time.Monday, "monday": time.Monday, "mon": time.Monday, "lun": time.Monday,
	"mardi": time.Tuesday, "tuesday": time.Tuesday, "tue": time.Tuesday, "mar": time.Tuesday,
	"mercredi": time.Wednesday, "wednesday": time.Wednesday, "wed": time.Wednesday, "mer": time.Wednesday,
	"jeudi": time.Thursday, "thursday": time.Thursday, "thu": time.Thursday, "jeu": time.Thursday,
	"vendredi": time.Friday, "friday": time.Friday, "fri": time.Friday, "ven": time.Friday,
	"samedi": time.Saturday, "saturday": time.Saturday, "sat": time.Saturday, "sam": time.Saturday,
	"dimanche": time.Sunday, "sunday": time.Sunday, "sun": time.Sunday, "dim": time.Sunday,
}

// parseWeekTime reads "monday 9:00", "lundi 9h", "vendredi 16h30", "fri
// 08:15" (the time defaults to 09:00): a weekday and minutes after midnight.
func parseWeekTime(v string) (time.Weekday, int, bool) {
	f := strings.Fields(strings.ToLower(strings.ReplaceAll(v, "à", " ")))
	if len(f) == 0 || len(f) > 2 {
		return 0, 0, false
	}
	day, ok := weekdayNames[strings.TrimSuffix(f[0], ".")]
	if !ok {
		return 0, 0, false
	}
	if len(f) == 1 {
		return day, 9 * 60, true
	}
	m, ok := parseClock(f[1])
	return day, m, ok
}

// stripUntil takes "until", "jusqu'au" and the like off an absence's date.
func stripUntil(v string) string {
	v = strings.TrimSpace(strings.ToLower(strings.ReplaceAll(v, "’", "'")))
	for _, p := range []string{"until ", "till ", "to ", "jusqu'au ", "jusqu'à ", "jusqu'a ", "jusqu'", "au "} {
		if strings.HasPrefix(v, p) {
			return strings.TrimSpace(strings.TrimPrefix(v, p))
		}
	}
	return v
}

func splitList(v string) []string { return strings.Split(v, ",") }
