package commands

import "context"

// registerComing answers the triggers no capability registered: they say
// so plainly instead of failing.
func (s *Server) registerComing() {
	for _, c := range []struct{ name, help, usage string }{
		{"diag", "help.diag", "coming.diag"},
		{"plan", "help.plan", "coming.plan"},
	} {
		if _, ok := s.routes.commands[c.name]; ok {
			continue
		}
		usage := c.usage
		s.routes.Command(c.name, c.help, func(ctx context.Context, in *Input) (string, error) {
			return s.kit.T(in.Lang, usage), nil
		}, c.name)
	}
}
