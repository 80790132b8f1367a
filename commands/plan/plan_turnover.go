package plan

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"balise/bot"
)

// turnoverEvery is how often the plans look for members who left their
// team or were deactivated: daily, and once at start (the scheduler runs
// every job at once).
const turnoverEvery = 24 * time.Hour

// errNoHandover aborts an edit that turned out to change nothing.
var errNoHandover = errors.New("nobody to hand over")

// Turnover asks Mattermost whether each referent and owner of an open step
// of the followed plans is still an active member of the plan's team. The
// steps of those who are not go to the other referents (or the plan's
// creator, who then gets the weekly looks), and the plan's thread says so
// once: its letter is queued in the transaction that changes the plan, and
// the next look finds nobody left to hand over. When Mattermost cannot say,
// the plan is left as it is until the next look.
func (s *Plans) Turnover(ctx context.Context) error {
	plans, err := s.store.FollowedPlans(ctx)
	if err != nil {
		return err
	}
	active := map[string]bool{} // team/user: what Mattermost said in this look
	isActive := func(teamID, userID string) (bool, error) {
		key := teamID + "/" + userID
		if a, ok := active[key]; ok {
			return a, nil
		}
		a, err := s.chat.IsActiveTeamMember(ctx, teamID, userID)
		if err == nil {
			active[key] = a
		}
		return a, err
	}
	var errs []error
	left := map[string][2]string{} // team/user: those handed over, to disarm their looks
plans:
	for _, p := range plans {
		gone := map[string]bool{}
		for _, id := range involved(p) {
			a, err := isActive(p.TeamID, id)
			if err != nil {
				errs = append(errs, err)
				continue plans
			}
			gone[id] = !a
		}
		var leaving []string
		for _, id := range involved(p) {
			if gone[id] && (p.IsReferent(id) || ownsOpen(p, id)) {
				leaving = append(leaving, id)
			}
		}
		if len(leaving) == 0 {
			continue
		}
		if err := s.handOver(ctx, p, leaving, gone); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, id := range leaving {
			left[p.TeamID+"/"+id] = [2]string{p.TeamID, id}
		}
	}
	for _, tu := range left {
		if rest, err := s.store.ReferentPlans(ctx, tu[0], tu[1]); err != nil {
			errs = append(errs, err)
		} else if len(rest) == 0 {
			errs = append(errs, s.store.DisarmNudge(ctx, tu[0], tu[1]))
		}
	}
	return errors.Join(errs...)
}

// involved are the plan's referents, the owners of its open steps and its
// creator (a possible heir), each once.
func involved(p *bot.Plan) []string {
	var out []string
	seen := map[string]bool{"": true}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, r := range p.Referents {
		add(r)
	}
	for _, st := range p.Steps {
		if !st.Done() {
			add(st.OwnerID)
		}
	}
	add(p.CreatorID)
	return out
}

func ownsOpen(p *bot.Plan, userID string) bool {
	for _, st := range p.Steps {
		if st.OwnerID == userID && !st.Done() {
			return true
		}
	}
	return false
}

// handOver hands the steps of those leaving to others and re-arms the
// plan's follow-ups, its thread's letter queued in the same transaction.
func (s *Plans) handOver(ctx context.Context, p *bot.Plan, leaving []string, gone map[string]bool) error {
	people := s.people(ctx, p, p.CreatorID)
	names := map[string]string{}
	for _, id := range involved(p) {
		names[id] = s.name(ctx, id) // read before the transaction: no call to Mattermost inside it
	}
	now := s.now()
	var newReferent string
	edited, err := s.store.EditPlanSaying(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, []bot.Envelope, error) {
		if p.Archived() {
			return nil, nil, errNoHandover
		}
		var lines []string
		for _, id := range leaving {
			h := p.HandOver(id, func(u string) bool { return gone[u] })
			lines = append(lines, s.handoverLines(p, id, h, names)...)
			if h.CreatorReferent {
				newReferent = p.CreatorID
			}
		}
		if len(lines) == 0 {
			return nil, nil, errNoHandover
		}
		say := bot.Envelope{Message: bot.Message{ChannelID: p.ChannelID, RootID: p.PostID, Text: strings.Join(lines, "\n")}}
		return p.FollowUps(now, people, s.holidays), []bot.Envelope{say}, nil
	})
	if errors.Is(err, errNoHandover) {
		return nil
	}
	if err != nil {
		return err
	}
	s.cards.Refresh(edited.ID)
	s.post.Kick()
	if newReferent != "" {
		if err := s.armNudge(ctx, p.TeamID, newReferent, true); err != nil {
			return err
		}
	}
	s.sched.Wake()
	return nil
}

// handoverLines say, in the plan's language, what a departure changed.
func (s *Plans) handoverLines(p *bot.Plan, leaving string, h bot.Handover, names map[string]string) []string {
	l := p.Lang
	var steps []string
	for _, n := range h.Moved {
		steps = append(steps, strconv.Itoa(n))
	}
	var out []string
	switch {
	case len(h.Moved) > 0 && h.Heir != "":
		out = append(out, s.kit.T(l, "plan.handover", "user", names[leaving], "steps", strings.Join(steps, ", "), "heir", names[h.Heir]))
	case len(h.Moved) > 0:
		out = append(out, s.kit.T(l, "plan.handover.nobody", "user", names[leaving], "steps", strings.Join(steps, ", ")))
	case h.WasReferent:
		out = append(out, s.kit.T(l, "plan.handover.referent", "user", names[leaving]))
	}
	if h.CreatorReferent {
		out = append(out, s.kit.T(l, "plan.handover.creator", "user", names[p.CreatorID]))
	}
	return out
}
