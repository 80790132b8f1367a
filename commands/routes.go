package commands

import (
	"context"
	"strings"

	"balise/bot"
)

// A Capability is one thing Balise does for a team (decisions, tools...).
// It tells the HTTP face which triggers, buttons, dialogs and jobs it
// answers; the face verifies, routes, signs and translates.
type Capability interface {
	Register(r *Routes)
}

// CommandFunc runs a verified slash command and returns the member's
// ephemeral reply.
type CommandFunc func(ctx context.Context, in *Input) (string, error)

// ActionFunc handles a verified click. It returns the text to show the
// member alone; posts it changes, it updates itself.
type ActionFunc func(ctx context.Context, c *Click) (string, error)

// DialogFunc handles a verified submission. It returns per-field errors to
// show in the dialog (nothing written), or an error.
type DialogFunc func(ctx context.Context, sub *Submission) (map[string]string, error)

// Routes is where capabilities register what they answer.
type Routes struct {
	commands map[string]*command
	actions  map[string]ActionFunc
	dialogs  map[string]DialogFunc
	jobs     []bot.Job
	// balise are the `/balise <verb>` subcommands capabilities add, by
	// verb; baliseHelp their lines in /balise help.
	balise     map[string]CommandFunc
	baliseHelp []string
}

// A command is one slash command's handler. Several triggers may share one
// (/tool and /outil).
type command struct {
	name    string // the trigger under which help lists it
	helpKey string // the line of /balise help that presents it
	run     CommandFunc
}

// Command answers the triggers with run; help lists it under name with the
// line helpKey.
func (r *Routes) Command(name, helpKey string, run CommandFunc, triggers ...string) {
	c := &command{name: name, helpKey: helpKey, run: run}
	for _, t := range triggers {
		r.commands[t] = c
	}
}

// Balise answers `/balise <verb>` for each of verbs (its French and English
// forms) with run, which gets the text after the verb; helpKey, when set,
// is its line in /balise help. It lets a capability own a setting that
// belongs to all of Balise (/balise settings is the plans'), while the face
// keeps /balise, its help and its language choice: a verb the face answers
// (help, lang) cannot be taken.
func (r *Routes) Balise(helpKey string, run CommandFunc, verbs ...string) {
	for _, v := range verbs {
		r.balise[strings.ToLower(v)] = run
	}
	if helpKey != "" {
		r.baliseHelp = append(r.baliseHelp, helpKey)
	}
}

// Action answers the clicks on buttons made with Kit.Button for action.
func (r *Routes) Action(action string, fn ActionFunc) { r.actions[action] = fn }

// Dialog answers the submissions of dialogs with this callback id.
func (r *Routes) Dialog(callbackID string, fn DialogFunc) { r.dialogs[callbackID] = fn }

// Job adds periodic work for the scheduler.
func (r *Routes) Job(jobs ...bot.Job) { r.jobs = append(r.jobs, jobs...) }
