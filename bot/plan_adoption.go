package bot

import (
	"strconv"
	"strings"
	"time"
)

// Estimate is a referent's answer to "how many of the N used the tool this
// week?". Adoption figures are what referents declare: no one's use is
// tracked.
type Estimate string

const (
	EstimateNone  Estimate = "none"
	EstimateFew   Estimate = "few"
	EstimateHalf  Estimate = "half"
	EstimateMost  Estimate = "most"
	EstimateAll   Estimate = "all"
	EstimateCount Estimate = "count" // a number was given
)

// Estimates are the buttons of a check-in, in order.
var Estimates = []Estimate{EstimateNone, EstimateFew, EstimateHalf, EstimateMost, EstimateAll}

// estimateShare is the share of the target each answer stands for, in percent.
var estimateShare = map[Estimate]int{EstimateNone: 0, EstimateFew: 20, EstimateHalf: 50, EstimateMost: 80, EstimateAll: 100}

// AdoptionGoal is the share of the target the plan aims at by its end.
const AdoptionGoal = 80

// CheckIn is one week's adoption estimate for a plan.
type CheckIn struct {
	PlanID   int64
	TeamID   string
	Week     Day // its Monday, in the plan's zone
	Estimate Estimate
	Used     int // people, out of the plan's target
	By       string
	At       time.Time
}

// ParseEstimate reads a check-in answer, a button's value or a number typed
// in French or English, for a plan aiming at target people.
func ParseEstimate(v string, target int) (Estimate, int, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	words := map[string]Estimate{
		"none": EstimateNone, "nobody": EstimateNone, "aucun": EstimateNone, "personne": EstimateNone,
		"few": EstimateFew, "a few": EstimateFew, "quelques-uns": EstimateFew, "quelques": EstimateFew,
		"half": EstimateHalf, "about half": EstimateHalf, "la moitié": EstimateHalf, "moitié": EstimateHalf,
		"most": EstimateMost, "la plupart": EstimateMost,
		"all": EstimateAll, "everyone": EstimateAll, "tous": EstimateAll, "tout le monde": EstimateAll,
	}
	if e, ok := words[v]; ok {
		return e, (target*estimateShare[e] + 50) / 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > target {
		return "", 0, Errorf(EINVALID, "plan.error.estimate", "max", target)
	}
	return EstimateCount, n, nil
}

// AdoptionPoint is one week of the adoption curve, in percent of the
// plan's target, beside the goal line for that week.
type AdoptionPoint struct {
	Week    Day
	Percent int
	Goal    int
}

// AdoptionCurve turns a plan's check-ins, oldest first, into its curve. The
// goal line rises evenly from 0 at the start to AdoptionGoal at the plan's
// end (its last due date), and stays there.
func (p *Plan) AdoptionCurve(checkIns []CheckIn) []AdoptionPoint {
	out := make([]AdoptionPoint, 0, len(checkIns))
	end := p.End()
	span := end.DaysSince(p.Start)
	for _, c := range checkIns {
		goal := AdoptionGoal
		if since := c.Week.DaysSince(p.Start); !end.IsZero() && span > 0 && since < span {
			goal = AdoptionGoal * max(0, since) / span
		}
		out = append(out, AdoptionPoint{Week: c.Week, Percent: 100 * c.Used / max(1, p.Target), Goal: goal})
	}
	return out
}

// FlatWeeks is how many weeks in a row without progress make the nudge
// suggest a peer training session, as seed 001 advises.
const FlatWeeks = 3

// Stalled reports whether the last FlatWeeks check-ins, on consecutive
// weeks, show no rise while the goal is not met.
func Stalled(curve []AdoptionPoint) bool {
	if len(curve) < FlatWeeks {
		return false
	}
	last := curve[len(curve)-FlatWeeks:]
	for i := 1; i < len(last); i++ {
		if last[i].Week.DaysSince(last[i-1].Week) != 7 || last[i].Percent > last[i-1].Percent {
			return false
		}
	}
	return last[len(last)-1].Percent < AdoptionGoal
}

// CheckInDue reports whether the plan asks its referents for this week's
// adoption: it is followed and its tool is chosen.
func (p *Plan) CheckInDue() bool { return !p.Archived() && p.ToolID != "" }

// Adoption is a plan's latest adoption estimate, as the next diagnostic's
// report shows it beside the dimension its tool serves.
type Adoption struct {
	Plan    int // the plan's number in its team
	Title   string
	ToolID  string
	Target  int // the people the plan aims at
	Week    Day // the Monday of the latest check-in
	Percent int // share of Target that week
	Goal    int // the goal line that week
}

// LatestAdoption is the last point of the plan's curve; false when nobody
// checked in yet.
func (p *Plan) LatestAdoption(checkIns []CheckIn) (Adoption, bool) {
	curve := p.AdoptionCurve(checkIns)
	if len(curve) == 0 {
		return Adoption{}, false
	}
	last := curve[len(curve)-1]
	return Adoption{Plan: p.Number, Title: p.Title, ToolID: p.ToolID, Target: p.Target, Week: last.Week,
		Percent: last.Percent, Goal: last.Goal}, true
}
