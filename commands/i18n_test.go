package commands

import (
	"encoding/json"
	"io/fs"
	"sort"
	"strings"
	"testing"
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
