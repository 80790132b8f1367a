package bot

// StepKind names a step of the standard template, so that Balise knows
// which step is the choice of the tool (a decision) and which the
// evaluation (the next diagnostic).
type StepKind string

// The steps of the method in the seeds (Solidatech's eight steps), in order.
const (
	StepDiagnostic StepKind = "diagnostic" // needs diagnostic
	StepReferents  StepKind = "referents"  // identify digital referents
	StepChoose     StepKind = "choose"     // choose the tool (a decision)
	StepFunding    StepKind = "funding"    // find funding
	StepPilot      StepKind = "pilot"      // configure and pilot with a small group
	StepTraining   StepKind = "training"   // train users in peer sessions
	StepSwitch     StepKind = "switch"     // migrate data and switch
	StepEvaluate   StepKind = "evaluate"   // evaluate adoption
)

// Template is how a new plan's steps are laid out.
type Template string

const (
	StandardTemplate Template = "standard"
	EmptyTemplate    Template = "empty"
)

// TemplateStep is a step of a template, due Offset calendar days after the
// plan's start.
type TemplateStep struct {
	Kind   StepKind
	Offset int
}

// StandardSteps follow the method of the seeds over about six months: the
// diagnostic and the referents first, the choice and its funding, a pilot
// with a few, peer training, the switch, then a look at adoption three
// months after it.
var StandardSteps = []TemplateStep{
	{StepDiagnostic, 14},
	{StepReferents, 21},
	{StepChoose, 35},
	{StepFunding, 49},
	{StepPilot, 77},
	{StepTraining, 98},
	{StepSwitch, 119},
	{StepEvaluate, 210},
}

// ParseTemplate reads a template name in French or English.
func ParseTemplate(v string) (Template, error) {
	switch v {
	case "", "standard", "défaut", "defaut", "default":
		return StandardTemplate, nil
	case "empty", "vide", "none", "aucun":
		return EmptyTemplate, nil
	}
	return "", Errorf(EINVALID, "plan.error.template", "value", v)
}

// Lay gives the plan the steps of template t, owned by the first referent
// (else the creator) and due their offset after the start. title names a
// step kind in the plan's language. A step that the plan already settles is
// done at once, by the creator: the choice of the tool when the plan names
// one, the referents when it has some.
func (p *Plan) Lay(t Template, title func(StepKind) string) {
	if t != StandardTemplate {
		return
	}
	owner := p.CreatorID
	if len(p.Referents) > 0 {
		owner = p.Referents[0]
	}
	for i, ts := range StandardSteps {
		s := Step{Number: i + 1, Kind: ts.Kind, Title: title(ts.Kind), OwnerID: owner, Due: p.Start.AddDays(ts.Offset)}
		if ts.Kind == StepChoose && p.ToolID != "" || ts.Kind == StepReferents && len(p.Referents) > 0 {
			s.DoneAt, s.DoneBy = p.CreatedAt, p.CreatorID
		}
		p.Steps = append(p.Steps, s)
	}
}
