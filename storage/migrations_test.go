package storage

import (
	"fmt"
	"strings"
	"testing"
)

// Migrations are applied by their place in the list: their names must
// number them 1, 2, 3... with no gap, so that a database records the
// number written on the last file it applied.
func TestMigrationsAreNumberedWithoutGaps(t *testing.T) {
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		if want := fmt.Sprintf("migrations/%04d_", i+1); !strings.HasPrefix(name, want) {
			t.Errorf("migration %d is %s, want a name starting %s", i+1, name, want)
		}
	}
}
