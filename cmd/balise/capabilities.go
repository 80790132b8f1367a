package main

import (
	"time"

	"balise/bot"
	"balise/bot/background"
	"balise/bot/mattermost"
	"balise/commands"
	"balise/commands/decide"
	"balise/commands/diag"
	"balise/commands/plan"
	"balise/commands/tool"
	"balise/storage"
)

// capabilityDeps is what the capabilities are built from.
type capabilityDeps struct {
	db      *storage.DB
	chat    *mattermost.Client
	kit     *commands.Kit
	work    *background.Work
	tick    time.Duration
	llm     bot.Assistant
	waitLLM time.Duration
	// finder is the catalogue's search index, one for /tool and /diag: two
	// would hold two copies of it (about 40 MB each with 10,000 entries).
	finder *bot.ToolFinder
}

// capabilities builds what Balise does, each with the few things it uses:
// adding a capability is one line here. It fails when a data file shipped
// with Balise (the diagnostic's questionnaires) is broken.
func capabilities(d capabilityDeps) ([]commands.Capability, error) {
	questionnaires, err := storage.Questionnaires()
	if err != nil {
		return nil, err
	}
	postman := background.NewPostman(d.work, d.db, d.chat)
	if d.finder == nil {
		d.finder = bot.NewToolFinder(d.db)
	}
	board := decide.New(decide.Config{Kit: d.kit, Store: d.db, Chat: d.chat, Work: d.work, Postman: postman, Tick: d.tick})
	return []commands.Capability{
		jobs{postman.Job(d.tick)},
		board,
		tool.New(tool.Config{Kit: d.kit, Catalogue: d.db, Chat: d.chat, Board: board, Assistant: d.llm, WaitLLM: d.waitLLM, Finder: d.finder}),
		diag.New(diag.Config{Kit: d.kit, Store: d.db, Chat: d.chat, Catalogue: d.db, Postman: postman, Questionnaires: questionnaires, Adoptions: d.db, Tick: d.tick, Finder: d.finder}),
		plan.New(plan.Config{Kit: d.kit, Store: d.db, Chat: d.chat, Tools: d.db, Work: d.work, Postman: postman, Tick: d.tick}),
	}, nil
}

// jobs registers periodic work shared by the capabilities: the outbox's
// delivery.
type jobs []bot.Job

func (j jobs) Register(r *commands.Routes) { r.Job(j...) }
