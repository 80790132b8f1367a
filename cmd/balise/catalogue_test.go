package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"balise/bot"
	"balise/storage"
)

const csvHeader = "id,name,categories,needs_fr,needs_en,description_fr,description_en,license,free,replaces,hosting,cost_fr,cost_en,user_difficulty,admin_difficulty,mobile,website,source,checked\n"

const goodLine = `local-pad,Pad local,writing,écrire ensemble|prise de notes,write together,Un pad sur notre serveur.,A pad on our server.,AGPL-3.0-or-later,true,Google Docs,self-hosted,Gratuit,Free,1,2,false,https://pad.example.org,https://pad.example.org/about,2026-11-20` + "\n"

// MustWrite writes a file in a test's directory and returns its path.
func MustWrite(tb testing.TB, name, content string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// MustDB creates Balise's database in dir, as serve or setup would.
func MustDB(tb testing.TB, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, "balise.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	db.Close()
	return path
}

// A wrong path must not give a quiet success on a new, empty database.
func TestTerminalCommandsRefuseAMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"backup", "-db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "copy.db")},
		{"catalogue", "-db", filepath.Join(dir, "missing.db"), "export", filepath.Join(dir, "all.json")},
	} {
		if err := Run(context.Background(), args); err == nil || !strings.Contains(err.Error(), "no database at") {
			t.Errorf("%v: got %v, want a refusal naming the missing database", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("a missing database was created")
	}
}

func mustTool(tb testing.TB, dbPath, id string) error {
	tb.Helper()
	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	_, err = db.Tool(context.Background(), "", id)
	return err
}

// One bad line refuses the whole file, naming the line and the field.
func TestImportBadLineImportsNothing(t *testing.T) {
	ctx := context.Background()
	dbPath := MustDB(t, t.TempDir())
	bad := strings.Replace(goodLine, "local-pad,Pad local", "other-pad,Autre pad", 1)
	bad = strings.Replace(bad, "AGPL-3.0-or-later", "not a licence!", 1)
	for _, c := range []struct{ name, content, want string }{
		{"bad.csv", csvHeader + goodLine + bad, "line 3, field license"},
		{"bool.csv", csvHeader + goodLine + strings.Replace(goodLine, ",true,", ",sometimes,", 1), "line 3: field free"},
		{"dup.csv", csvHeader + goodLine + goodLine, "line 3, field id: local-pad is already on line 2"},
		{"header.csv", "id,name\n" + goodLine, "line 1: the header lacks the column categories"},
		{"bad.json", "[\n" + `{"id": "local-pad", "name": "Pad", "colour": "red"}` + "\n]", `line 2: json: unknown field "colour"`},
		{"type.json", "[\n\n" + `{"id": "local-pad", "free": "yes"}` + "\n]", "line 3: field free: string is not a bool"},
		{"nofree.json", "[\n" + `{"id": "local-pad", "name": "Pad", "mobile": true}` + "\n]", "line 2: field free: missing"},
	} {
		path := MustWrite(t, c.name, c.content)
		var err error
		out := captureStderr(t, func() { err = Run(ctx, []string{"catalogue", "-db", dbPath, "import", path}) })
		if err == nil || !strings.Contains(err.Error(), "nothing imported") {
			t.Fatalf("%s: got %v, want a refusal saying nothing was imported", c.name, err)
		}
		out += err.Error()
		if !strings.Contains(out, c.want) {
			t.Errorf("%s: got %q, want it to say %q", c.name, out, c.want)
		}
		if err := mustTool(t, dbPath, "local-pad"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("%s: the good line was imported (%v), want nothing imported", c.name, err)
		}
	}
}

func TestImportThenExportRoundTrips(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := MustDB(t, dir)
	if err := Run(ctx, []string{"catalogue", "-db", dbPath, "import", MustWrite(t, "good.csv", csvHeader+goodLine)}); err != nil {
		t.Fatal(err)
	}
	if err := mustTool(t, dbPath, "local-pad"); err != nil {
		t.Fatalf("local-pad after import: %v", err)
	}
	for _, name := range []string{"all.csv", "all.json"} {
		out := filepath.Join(dir, name)
		if err := Run(ctx, []string{"catalogue", "-db", dbPath, "export", out}); err != nil {
			t.Fatal(err)
		}
		other := MustDB(t, t.TempDir())
		if err := Run(ctx, []string{"catalogue", "-db", other, "import", out}); err != nil {
			t.Fatalf("importing the export %s: %v", name, err)
		}
		if err := mustTool(t, other, "local-pad"); err != nil {
			t.Errorf("%s: local-pad did not survive the round trip: %v", name, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "all.csv"))
	if err != nil || !strings.Contains(string(data), "écrire ensemble|prise de notes") {
		t.Errorf("the CSV export does not join lists with |: %v", err)
	}
}

func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				done <- b.String()
				return
			}
		}
	}()
	fn()
	os.Stderr = old
	w.Close()
	return <-done
}

// The CSV format carries the ethical hosts of a tool, and files written
// before the hosts column still import.
func TestCSVCarriesHosts(t *testing.T) {
	tools, err := storage.ShippedTools()
	if err != nil {
		t.Fatal(err)
	}
	var hosted []*bot.Tool
	for _, tool := range tools {
		if len(tool.Hosts) > 0 {
			hosted = append(hosted, tool)
		}
	}
	if len(hosted) == 0 {
		t.Fatal("got no shipped tool with hosts")
	}
	var buf bytes.Buffer
	if err := writeToolsCSV(&buf, hosted); err != nil {
		t.Fatal(err)
	}
	lines, err := readToolsCSV(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		if l.err != nil || !reflect.DeepEqual(l.tool.Hosts, hosted[i].Hosts) {
			t.Errorf("%s: got hosts %v (%v), want %v", hosted[i].ID, l.tool.Hosts, l.err, hosted[i].Hosts)
		}
	}
	old := strings.Join(csvColumns[:len(csvColumns)-1], ",") + "\n"
	if _, err := readToolsCSV([]byte(old)); err != nil {
		t.Errorf("a header without hosts: got %v, want it read", err)
	}
}
