package commands

import "context"

// registerComing adds the commands whose capability is not built yet: they
// say so plainly instead of failing.
func (s *Server) registerComing() {
	for _, c := range []struct{ name, help, usage string }{
		{"diag", "help.diag", "coming.diag"},
		{"plan", "help.plan", "coming.plan"},
	} {
		usage := c.usage
		s.addCommand(&command{name: c.name, helpKey: c.help, run: func(ctx context.Context, in *Input) (string, error) {
			return s.text.T(in.Lang, usage), nil
		}}, c.name)
	}
}
