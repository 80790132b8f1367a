package bot

import (
	"cmp"
	"math"
	"slices"
)

// Level is a named maturity level, after seed 001's structures "peu
// initiées", "en progrès" and "expérimentées".
type Level string

const (
	Beginner    Level = "beginner"    // below 40
	Progressing Level = "progressing" // 40 to 69
	Experienced Level = "experienced" // 70 and above
)

// LevelOf names the level of a score from 0 to 100.
func LevelOf(score int) Level {
	switch {
	case score < 40:
		return Beginner
	case score < 70:
		return Progressing
	}
	return Experienced
}

// Scoring constants; the README documents them.
const (
	// DefaultTarget stands for a dimension's target when no respondent
	// gave one.
	DefaultTarget = 75
	// MaxPriorities is how many priorities a report ranks.
	MaxPriorities = 5
	// RoleDisagreement is the gap between two roles' scores of a dimension
	// from which the report says they disagree.
	RoleDisagreement = 25
)

// Report is the figures of a campaign: aggregates only (see Campaign for
// the anonymity rule).
type Report struct {
	Respondents  int // sheets with a role
	Overall      int // mean of the dimension scores that have answers
	Target       int // mean of their targets
	Dimensions   []DimensionScore
	Questions    []QuestionScore
	Groups       []Group // roles shown apart, "others" last; empty when none may be
	Priorities   []Priority
	Difficulties []DifficultyShare
}

// DimensionScore is a dimension's score, from 0 to 100: the mean of its
// questions' scores weighted by their importance.
type DimensionScore struct {
	Dimension *DimensionInfo
	Score     int
	Answers   int // scored answers behind Score; 0 means no figure
	Target    int
	TargetSet bool  // false when no respondent gave one: Target is DefaultTarget
	ByGroup   []int // Score per Report.Groups, -1 where the group gave no scored answer
}

// Level is the dimension's named level.
func (d DimensionScore) Level() Level { return LevelOf(d.Score) }

// RolesDisagree reports whether two groups' scores are RoleDisagreement
// or more apart.
func (d DimensionScore) RolesDisagree() bool {
	lo, hi := 101, -1
	for _, s := range d.ByGroup {
		if s >= 0 {
			lo, hi = min(lo, s), max(hi, s)
		}
	}
	return hi-lo >= RoleDisagreement
}

// QuestionScore is how a question was answered, in aggregate.
type QuestionScore struct {
	Question     *Question
	Score        int // mean of the scored answers
	Answers      int // scored answers; 0 means no figure
	DontKnow     int
	NotConcerned int
	Spread       int     // highest score minus lowest
	Disagree     bool    // answers two options apart or more
	Low, High    *Choice // the weakest and strongest options given; nil without answers
}

// Group is a set of respondents whose figures are shown together: a role,
// or "others" (Role "").
type Group struct {
	Role   Role
	Size   int
	sheets []*Sheet
}

// Priority is a gap between now and the target on one question, weighted
// for ranking: Gap × the question's importance × (1 + Spread/200), so that
// disagreement raises a priority and agreement never zeroes it.
type Priority struct {
	Question  *Question
	Dimension *DimensionInfo
	Score     int
	Target    int
	Gap       int
	Spread    int
	Weight    float64
}

// DifficultyShare is a kind of difficulty's share of all weighted gaps.
type DifficultyShare struct {
	Kind      Difficulty
	Percent   int
	Questions int // questions of that kind below their target
}

// Score computes a campaign's report from its sheets. minGroup is the
// campaign's anonymity threshold.
func Score(q *Questionnaire, sheets []*Sheet, minGroup int) *Report {
	answered := withRole(sheets)
	r := &Report{Respondents: len(answered), Groups: Groups(answered, minGroup)}
	targets := map[string]int{}
	var sum, sumTarget, dims int
	for i := range q.Dimensions {
		d := &q.Dimensions[i]
		ds := dimensionScore(q, d, answered)
		ds.Target, ds.TargetSet = target(d.ID, answered)
		targets[d.ID] = ds.Target
		for _, g := range r.Groups {
			score := -1
			if gs := dimensionScore(q, d, g.sheets); gs.Answers > 0 {
				score = gs.Score
			}
			ds.ByGroup = append(ds.ByGroup, score)
		}
		if ds.Answers > 0 {
			sum, sumTarget, dims = sum+ds.Score, sumTarget+ds.Target, dims+1
		}
		r.Dimensions = append(r.Dimensions, ds)
	}
	if dims > 0 {
		r.Overall, r.Target = round(float64(sum)/float64(dims)), round(float64(sumTarget)/float64(dims))
	}
	for i := range q.Questions {
		r.Questions = append(r.Questions, questionScore(&q.Questions[i], answered))
	}
	r.Priorities, r.Difficulties = priorities(q, r.Questions, targets)
	return r
}

func round(x float64) int { return int(math.Round(x)) }

func questionScore(qu *Question, sheets []*Sheet) QuestionScore {
	qs := QuestionScore{Question: qu}
	lo, hi, loRank, hiRank, sum := 101, -1, len(qu.Options), -1, 0
	for _, s := range sheets {
		a, ok := s.Answers[qu.ID]
		switch {
		case !ok:
			continue
		case a == DontKnow:
			qs.DontKnow++
			continue
		case a == NotConcerned:
			qs.NotConcerned++
			continue
		}
		rank := qu.rank(a)
		if rank < 0 {
			continue
		}
		score := qu.Options[rank].Score
		sum += score
		qs.Answers++
		lo, hi = min(lo, score), max(hi, score)
		loRank, hiRank = min(loRank, rank), max(hiRank, rank)
	}
	if qs.Answers > 0 {
		qs.Score = round(float64(sum) / float64(qs.Answers))
		qs.Spread = hi - lo
		qs.Disagree = hiRank-loRank >= 2
		qs.Low, qs.High = &qu.Options[loRank], &qu.Options[hiRank]
	}
	return qs
}

// dimensionScore weighs each question's mean by its importance; questions
// nobody scored are left out.
func dimensionScore(q *Questionnaire, d *DimensionInfo, sheets []*Sheet) DimensionScore {
	ds := DimensionScore{Dimension: d}
	var sum, weights float64
	for i := range q.Questions {
		qu := &q.Questions[i]
		if qu.Dimension != d.ID {
			continue
		}
		qs := questionScore(qu, sheets)
		if qs.Answers == 0 {
			continue
		}
		sum += float64(qs.Score * qu.Weight)
		weights += float64(qu.Weight)
		ds.Answers += qs.Answers
	}
	if weights > 0 {
		ds.Score = round(sum / weights)
	}
	return ds
}

// target is the respondents' mean target for a dimension, DefaultTarget
// when nobody gave one.
func target(dimension string, sheets []*Sheet) (int, bool) {
	sum, n := 0, 0
	for _, s := range sheets {
		if t, ok := s.Targets[dimension]; ok && t != TargetDontKnow {
			sum, n = sum+t, n+1
		}
	}
	if n == 0 {
		return DefaultTarget, false
	}
	return round(float64(sum) / float64(n)), true
}

// Groups splits respondents by role for the role breakdown. A role with
// fewer than minGroup respondents is merged into "others". Since the whole
// minus the roles shown gives the figures of "others", "others" is shown
// too, and when it would hold a single person the smallest role shown
// joins it: no group is ever one person. It returns nil when fewer than
// two groups remain, since one group's figures are the whole report's.
func Groups(sheets []*Sheet, minGroup int) []Group {
	minGroup = max(minGroup, LowestMinGroup)
	byRole := map[Role][]*Sheet{}
	for _, s := range sheets {
		byRole[s.Role] = append(byRole[s.Role], s)
	}
	var shown []Group
	var others []*Sheet
	for _, role := range Roles {
		if ss := byRole[role]; len(ss) >= minGroup {
			shown = append(shown, Group{Role: role, Size: len(ss), sheets: ss})
		} else {
			others = append(others, ss...)
		}
	}
	for len(others) > 0 && len(others) < LowestMinGroup && len(shown) > 0 {
		// the smallest, the last of equals in Roles order
		i := 0
		for j, g := range shown {
			if g.Size <= shown[i].Size {
				i = j
			}
		}
		others = append(others, shown[i].sheets...)
		shown = slices.Delete(shown, i, i+1)
	}
	if len(others) > 0 {
		shown = append(shown, Group{Size: len(others), sheets: others})
	}
	if len(shown) < 2 {
		return nil
	}
	return shown
}

// priorities ranks the questions below their dimension's target and sums
// the weighted gaps per kind of difficulty.
func priorities(q *Questionnaire, scores []QuestionScore, targets map[string]int) ([]Priority, []DifficultyShare) {
	var all []Priority
	perKind := map[Difficulty]float64{}
	count := map[Difficulty]int{}
	var total float64
	for _, qs := range scores {
		qu := qs.Question
		t := targets[qu.Dimension]
		if qs.Answers == 0 || qs.Score >= t {
			continue
		}
		p := Priority{Question: qu, Dimension: q.Dimension(qu.Dimension), Score: qs.Score, Target: t,
			Gap: t - qs.Score, Spread: qs.Spread}
		p.Weight = float64(p.Gap*qu.Weight) * (1 + float64(qs.Spread)/200)
		all = append(all, p)
		perKind[qu.Difficulty] += p.Weight
		count[qu.Difficulty]++
		total += p.Weight
	}
	slices.SortStableFunc(all, func(a, b Priority) int { return cmp.Compare(b.Weight, a.Weight) })
	var shares []DifficultyShare
	for _, k := range Difficulties {
		if count[k] > 0 {
			shares = append(shares, DifficultyShare{Kind: k, Percent: round(100 * perKind[k] / total), Questions: count[k]})
		}
	}
	return all[:min(len(all), MaxPriorities)], shares
}
