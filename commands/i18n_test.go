package commands

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"balise/bot"
)

// readCatalogue merges the files locales/*.<lang>.json.
func readCatalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	files, err := fs.Glob(localeFiles, "locales/*."+lang+".json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogue for %s: %v", lang, err)
	}
	m := map[string]any{}
	for _, f := range files {
		data, err := localeFiles.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]any
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id, v := range part {
			if _, dup := m[id]; dup {
				t.Errorf("%s: message %s is defined twice", f, id)
			}
			m[id] = v
		}
	}
	return m
}

// Every message exists in both languages, and no message is left empty.
func TestCataloguesMatch(t *testing.T) {
	fr, en := readCatalogue(t, "fr"), readCatalogue(t, "en")
	var missing []string
	for id := range fr {
		if _, ok := en[id]; !ok {
			missing = append(missing, "en:"+id)
		}
	}
	for id := range en {
		if _, ok := fr[id]; !ok {
			missing = append(missing, "fr:"+id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("messages missing: %s", strings.Join(missing, ", "))
	}
	c, err := NewCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("en", "lang.set"); got == "lang.set" || got == c.T("fr", "lang.set") {
		t.Errorf("English lang.set = %q, want an English text", got)
	}
}

// A database that cannot be written is said so, in the member's language,
// rather than with the vague apology of an internal error.
func TestUnwritableIsSaidPlainly(t *testing.T) {
	c, err := NewCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	err = fmt.Errorf("take a stance: %w", fmt.Errorf("%w: database or disk is full (13)", bot.ErrUnwritable))
	if got := c.Err(bot.English, err); !strings.Contains(got, "full or read-only") || !strings.Contains(got, "Nothing was recorded") {
		t.Errorf("English reads %q", got)
	}
	if got := c.Err(bot.French, err); !strings.Contains(got, "lecture seule") {
		t.Errorf("French reads %q", got)
	}
	if got := c.Err(bot.English, errors.New("boom")); strings.Contains(got, "read-only") {
		t.Errorf("an internal error reads %q", got)
	}
}
