package commands

import "balise/bot"

// SlashCommand is how a command is registered in a Mattermost team.
type SlashCommand struct {
	Trigger     string
	DisplayName string
	Hint        string
	Description string
}

// SlashCommands lists the commands `balise setup` registers, with their
// autocomplete texts in both languages (a team's command has only one).
func (c *Catalogue) SlashCommands() []SlashCommand {
	var out []SlashCommand
	for _, t := range []string{"balise", "diag", "tool", "outil", "decide", "decision", "plan"} {
		both := func(id string) string { return c.T(bot.French, id) + " / " + c.T(bot.English, id) }
		if t == "outil" || t == "decision" {
			both = func(id string) string { return c.T(bot.French, id) }
		}
		if t == "tool" || t == "decide" {
			both = func(id string) string { return c.T(bot.English, id) }
		}
		out = append(out, SlashCommand{
			Trigger:     t,
			DisplayName: "Balise /" + t,
			Hint:        both("autocomplete." + t + ".hint"),
			Description: both("autocomplete." + t + ".description"),
		})
	}
	return out
}
