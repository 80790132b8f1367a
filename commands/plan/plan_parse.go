package plan

import (
	"strconv"
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
	t := strings.NewReplacer("h", ":", "H", ":").Replace(f[1])
	hh, mm, _ := strings.Cut(t, ":")
	h, err := strconv.Atoi(hh)
	m := 0
	if err == nil && mm != "" {
		m, err = strconv.Atoi(mm)
	}
	if err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return day, h*60 + m, true
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
