package commands

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

func readCatalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	data, err := localeFiles.ReadFile("locales/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("locales/%s.json: %v", lang, err)
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
