package commands

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"balise/bot"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Catalogue holds every user-facing text, in French and English.
type Catalogue struct {
	localizers map[bot.Lang]*i18n.Localizer
}

// NewCatalogue loads the embedded message catalogues.
func NewCatalogue() (*Catalogue, error) {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := localeFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, f); err != nil {
			return nil, fmt.Errorf("message catalogue %s: %w", f, err)
		}
	}
	return &Catalogue{localizers: map[bot.Lang]*i18n.Localizer{
		bot.French:  i18n.NewLocalizer(b, "fr"),
		bot.English: i18n.NewLocalizer(b, "en"),
	}}, nil
}

// T returns message id in language l, filled with data given as key, value
// pairs. A "count" pair chooses the plural form.
func (c *Catalogue) T(l bot.Lang, id string, kv ...any) string {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return c.localize(l, id, data)
}

func (c *Catalogue) localize(l bot.Lang, id string, data map[string]any) string {
	loc, ok := c.localizers[l]
	if !ok {
		loc = c.localizers[bot.French]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["count"]; ok {
		cfg.PluralCount = n
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return id // a missing message is caught by TestCataloguesMatch
	}
	return s
}

// Err returns what the member should read for err.
func (c *Catalogue) Err(l bot.Lang, err error) string {
	var e *bot.Error
	if errors.As(err, &e) && e.Code != bot.EINTERNAL {
		return c.localize(l, e.Key, e.Args)
	}
	if errors.Is(err, bot.ErrUnwritable) {
		return c.localize(l, "error.unwritable", nil)
	}
	return c.localize(l, "error.internal", nil)
}
