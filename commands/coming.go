package commands

import "context"

// registerComing adds the commands whose capability is not built yet: they
// say so plainly instead of failing.
func (s *Server) registerComing() {
	for _, c := range []struct{ name, help, usage string }{
		{"diag", "help.diag", "coming.diag"},
		{"plan", "help.plan", "coming.plan"},
		{"tool", "help.tool", "coming.tool"},
		{"decide", "help.decide", "coming.decide"},
	} {
		if _, done := s.commands[c.name]; done {
			continue
		}
		usage := c.usage
		cmd := &command{name: c.name, helpKey: c.help, run: func(ctx context.Context, in *Input) (string, error) {
			return s.text.T(in.Lang, usage), nil
		}}
		s.addCommand(cmd, c.name)
		if c.name == "tool" {
			s.addCommand(cmd, "outil")
		}
		if c.name == "decide" {
			s.addCommand(cmd, "decision")
		}
	}
}
