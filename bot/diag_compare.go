package bot

// DimensionChange is a dimension's score in two campaigns, over the questions both
// share. A side with no scored answers has Answers 0 and no figure.
type DimensionChange struct {
	Dimension                   *DimensionInfo
	Before, After               int
	BeforeAnswers, AfterAnswers int
}

// Delta is the change in points, After minus Before.
func (c DimensionChange) Delta() int { return c.After - c.Before }

// Comparison is how a team moved from one campaign to a later one.
type Comparison struct {
	Dimensions []DimensionChange
	Shared     int      // questions both versions ask
	LeftOut    []string // ids of questions only one of them asks
}

// Compare compares two campaigns over the questions their questionnaires
// share (ids are stable across versions): each side is scored with its own
// version's options, and grouped into the later version's dimensions.
func Compare(before *Questionnaire, beforeSheets []*Sheet, after *Questionnaire, afterSheets []*Sheet) Comparison {
	var c Comparison
	b := &Questionnaire{Version: before.Version, Dimensions: after.Dimensions}
	a := &Questionnaire{Version: after.Version, Dimensions: after.Dimensions}
	for _, qu := range after.Questions {
		old := before.Question(qu.ID)
		if old == nil {
			c.LeftOut = append(c.LeftOut, qu.ID)
			continue
		}
		moved := *old
		moved.Dimension = qu.Dimension
		b.Questions = append(b.Questions, moved)
		a.Questions = append(a.Questions, qu)
	}
	for _, qu := range before.Questions {
		if after.Question(qu.ID) == nil {
			c.LeftOut = append(c.LeftOut, qu.ID)
		}
	}
	c.Shared = len(a.Questions)
	for i := range after.Dimensions {
		d := &after.Dimensions[i]
		bs, as := dimensionScore(b, d, withRole(beforeSheets)), dimensionScore(a, d, withRole(afterSheets))
		c.Dimensions = append(c.Dimensions, DimensionChange{Dimension: d, Before: bs.Score, After: as.Score,
			BeforeAnswers: bs.Answers, AfterAnswers: as.Answers})
	}
	return c
}

// withRole keeps the sheets of respondents who started: those with a role.
func withRole(sheets []*Sheet) []*Sheet {
	var out []*Sheet
	for _, s := range sheets {
		if s.Role != "" {
			out = append(out, s)
		}
	}
	return out
}
