package bot

import (
	"fmt"
	"slices"
	"testing"
)

func TestInventoryMapsTheInformationSystem(t *testing.T) {
	sheets := []*Sheet{
		{Role: Board, Tools: []ToolUse{
			{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Need: "partager les dossiers", Future: Keep, Frequency: "daily"},
			{Name: "WhatsApp", Category: "chat", Limits: "mélange vie privée"},
		}},
		{Role: Volunteer, Tools: []ToolUse{
			{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Need: "archives", Future: Change},
			{Name: "Google Drive", Category: "files", Future: Drop},
			{Name: "whatsapp ", Category: "chat"},
		}},
		{Role: Staff, Tools: []ToolUse{{Name: "Le tableur de Paul"}}},
	}
	is := Inventory(sheets)
	var got []string
	for _, tl := range is.Tools {
		got = append(got, fmt.Sprintf("%s users=%d cat=%s shadow=%v needs=%v futures=%v", tl.Name, tl.Users, tl.Category, tl.Shadow, tl.Needs, tl.Futures))
	}
	want := []string{
		"Nextcloud users=2 cat=files shadow=false needs=[archives partager les dossiers] futures=map[change:1 keep:1]",
		"WhatsApp users=2 cat=chat shadow=false needs=[] futures=map[]",
		"Google Drive users=1 cat=files shadow=true needs=[] futures=map[drop:1]",
		"Le tableur de Paul users=1 cat= shadow=true needs=[] futures=map[]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tools:\ngot  %q\nwant %q", got, want)
	}
	if len(is.Overlaps) != 1 || is.Overlaps[0].Category != "files" || !slices.Equal(is.Overlaps[0].Tools, []string{"Google Drive", "Nextcloud"}) {
		t.Errorf("overlaps: got %+v, want files served by Google Drive and Nextcloud", is.Overlaps)
	}
}

func TestInventoryWithoutBoardListsHasNoShadowTools(t *testing.T) {
	is := Inventory([]*Sheet{{Role: Board}, {Role: Staff, Tools: []ToolUse{{Name: "Trello"}}}})
	if len(is.Tools) != 1 || is.Tools[0].Shadow {
		t.Errorf("got %+v, want Trello, not a shadow tool: the board listed nothing", is.Tools)
	}
}
