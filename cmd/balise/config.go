package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// A setting is read from a flag, else from its environment variable, else
// from the file named by the variable with _FILE (for secrets), else has
// its default.
type setting struct {
	name   string // flag name; the variable is BALISE_ + upper snake case
	def    string
	help   string
	secret bool // also read from <VAR>_FILE; never printed
	dst    *string
}

func (s setting) env() string {
	return "BALISE_" + strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
}

// parse defines the settings as flags of fs, documenting each variable, and
// parses args.
func parse(fs *flag.FlagSet, args []string, settings []setting) error {
	for _, s := range settings {
		help := fmt.Sprintf("%s (env %s", s.help, s.env())
		if s.secret {
			help += " or " + s.env() + "_FILE"
		}
		help += ")"
		def := s.def
		if s.secret {
			fs.StringVar(s.dst, s.name, "", help)
		} else {
			fs.StringVar(s.dst, s.name, def, help)
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range settings {
		if set[s.name] {
			continue
		}
		if v, ok := os.LookupEnv(s.env()); ok {
			*s.dst = v
			continue
		}
		if path, ok := os.LookupEnv(s.env() + "_FILE"); ok && s.secret {
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("%s_FILE: %w", s.env(), err)
			}
			*s.dst = strings.TrimSpace(string(b))
			continue
		}
		if s.secret {
			*s.dst = s.def
		}
	}
	return nil
}

// required returns an error naming the first empty setting among names.
func required(settings []setting, names ...string) error {
	for _, s := range settings {
		for _, n := range names {
			if s.name == n && *s.dst == "" {
				return fmt.Errorf("%s is required: set %s or -%s", n, s.env(), n)
			}
		}
	}
	return nil
}

func duration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a duration such as 20s", name, v)
	}
	return d, nil
}

// location loads the time zone named by setting name's value v, an IANA
// name such as Europe/Paris (the binary embeds the zone database).
func location(name, v string) (*time.Location, error) {
	loc, err := time.LoadLocation(v)
	if err != nil || v == "" {
		env := setting{name: name}.env()
		return nil, fmt.Errorf("%s: %q is not a time zone such as Europe/Paris: set %s or -%s", name, v, env, name)
	}
	return loc, nil
}
