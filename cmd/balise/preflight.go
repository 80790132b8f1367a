package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/bot/mattermost"
	"balise/commands"
)

// A missingSetting is a Mattermost setting Balise needs and does not find:
// the message key that says why, where to change it in the System Console
// and its config.json key.
type missingSetting struct {
	Key     string // message id in commands/locales/admin.*.json
	Console string // the System Console path (English labels, as in 6.7)
	JSON    string // the config.json key
	Args    []any  // more template data for the message
}

// The settings Balise needs, where to find them.
var (
	settingBots = missingSetting{Key: "admin.setting.bots",
		Console: "System Console > Integrations > Bot Accounts > Enable Bot Account Creation", JSON: "ServiceSettings.EnableBotAccountCreation"}
	settingCommands = missingSetting{Key: "admin.setting.commands",
		Console: "System Console > Integrations > Integration Management > Enable Custom Slash Commands", JSON: "ServiceSettings.EnableCommands"}
	settingTokens = missingSetting{Key: "admin.setting.tokens",
		Console: "System Console > Integrations > Integration Management > Enable Personal Access Tokens", JSON: "ServiceSettings.EnableUserAccessTokens"}
	settingUntrusted = missingSetting{Key: "admin.setting.untrusted",
		Console: "System Console > Environment > Developer > Allow untrusted internal connections to", JSON: "ServiceSettings.AllowedUntrustedInternalConnections"}
	settingSiteURL = missingSetting{Key: "admin.setting.site_url",
		Console: "System Console > Environment > Web Server > Site URL", JSON: "ServiceSettings.SiteURL"}
)

// missingSettings reads Mattermost's configuration and returns the settings
// Balise needs that are off. publicURL is Balise's URL as Mattermost calls
// it; resolve looks its host up (net.LookupIP outside tests).
func missingSettings(cfg *model.Config, publicURL string, resolve func(string) ([]net.IP, error)) []missingSetting {
	s := cfg.ServiceSettings
	var out []missingSetting
	if !on(s.EnableBotAccountCreation) {
		out = append(out, settingBots)
	}
	if !on(s.EnableCommands) {
		out = append(out, settingCommands)
	}
	if !on(s.EnableUserAccessTokens) {
		out = append(out, settingTokens)
	}
	if host, ok := untrustedHost(publicURL, deref(s.AllowedUntrustedInternalConnections), resolve); !ok {
		m := settingUntrusted
		m.Args = []any{"host", host}
		out = append(out, m)
	}
	if strings.TrimSpace(deref(s.SiteURL)) == "" {
		out = append(out, settingSiteURL)
	}
	return out
}

func on(b *bool) bool { return b != nil && *b }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// untrustedHost reports whether Mattermost 6.7 will call publicURL's host,
// reading allowed as it does (services/httpservice): a host named in the
// list is called whatever its address; otherwise each of its addresses
// must be public, or within a CIDR of the list. It returns the host to add.
// A host that does not resolve here is not judged: it may resolve on
// Mattermost's side only.
func untrustedHost(publicURL, allowed string, resolve func(string) ([]net.IP, error)) (string, bool) {
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return publicURL, true
	}
	host := u.Hostname()
	list := strings.FieldsFunc(allowed, func(c rune) bool { return unicode.IsSpace(c) || c == ',' })
	for _, a := range list {
		if a == host {
			return host, true
		}
	}
	ips := []net.IP{net.ParseIP(host)}
	if ips[0] == nil {
		if ips, err = resolve(host); err != nil {
			return host, true
		}
	}
	for _, ip := range ips {
		if !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified() {
			continue
		}
		covered := false
		for _, a := range list {
			if _, r, err := net.ParseCIDR(a); err == nil && r.Contains(ip) {
				covered = true
			}
		}
		if !covered {
			return host, false
		}
	}
	return host, true
}

// preflight checks, with the admin's client, that Mattermost is set up for
// Balise. It returns the admin's language and one line per missing setting,
// in that language; an error when the configuration cannot be read.
func preflight(ctx context.Context, admin *model.Client4, text *commands.Catalogue, publicURL string,
	resolve func(string) ([]net.IP, error)) (bot.Lang, []string, error) {
	me, _, err := admin.GetMe(ctx, "")
	if err != nil {
		return bot.French, nil, fmt.Errorf("the admin token is not accepted: %w", mattermost.Describe("get me", err))
	}
	lang := bot.UserLang("", me.Locale)
	cfg, _, err := admin.GetConfig(ctx)
	if err != nil {
		return lang, nil, fmt.Errorf("%s: %w", text.T(lang, "admin.config_unreadable"), mattermost.Describe("read the configuration", err))
	}
	var lines []string
	for _, m := range missingSettings(cfg, publicURL, resolve) {
		args := append([]any{"console", m.Console, "json", m.JSON}, m.Args...)
		lines = append(lines, text.T(lang, m.Key, args...))
	}
	return lang, lines, nil
}

// newClient returns a Mattermost client with Balise's HTTP client and token.
func newClient(mattermostURL, token string) *model.Client4 {
	c := model.NewAPIv4Client(mattermostURL)
	c.HTTPClient = mattermost.NewHTTPClient()
	c.SetToken(token)
	return c
}
