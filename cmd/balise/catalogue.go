package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"balise/bot"
	"balise/commands"
	"balise/storage"
)

// Catalogue exports and imports the tool catalogue, as the data file's
// JSON or as CSV (csvColumns, lists joined with "|").
type Catalogue struct {
	db string
}

// csvColumns are the CSV file's columns, named as the JSON fields.
var csvColumns = []string{"id", "name", "categories", "needs_fr", "needs_en", "description_fr", "description_en",
	"license", "free", "replaces", "hosting", "cost_fr", "cost_en", "user_difficulty", "admin_difficulty",
	"mobile", "website", "source", "checked", "hosts"}

// optionalColumns may be missing from a CSV file written before them.
var optionalColumns = []string{"hosts"}

// maxImportErrors caps how many bad lines an import reports.
const maxImportErrors = 20

// Run runs the subcommand.
func (c *Catalogue) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise catalogue", flag.ContinueOnError)
	settings := []setting{{name: "db", def: "balise.db", help: "SQLite database file", dst: &c.db}}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: balise catalogue [flags] export|import FILE

export FILE writes the whole catalogue to FILE; import FILE adds or replaces
the entries of FILE, all of them or, when any line is wrong, none.
FILE ends in .json (the format of storage/catalogue/tools.json) or .csv, with
a header line naming the columns:
  %s
Lists (categories, needs, replaces, hosting, hosts) are joined with "|", each
host written name;address;source;checked (the hosts column may be left out); free and
mobile are true or false; difficulties are 1 (easy) to 3 (hard); checked is
YYYY-MM-DD. Imported entries count as local edits: upgrades keep them.

`, strings.Join(csvColumns, ","))
		fs.PrintDefaults()
	}
	if err := parse(fs, args, settings); err != nil {
		return err
	}
	verb, file := fs.Arg(0), fs.Arg(1)
	if fs.NArg() != 2 || verb != "export" && verb != "import" {
		fs.Usage()
		return errors.New("catalogue needs export or import, and a FILE")
	}
	ext := strings.ToLower(filepath.Ext(file))
	if ext != ".json" && ext != ".csv" {
		return fmt.Errorf("%s: the file must end in .json or .csv", file)
	}
	db, err := storage.OpenExisting(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		return err
	}
	if verb == "export" {
		return exportCatalogue(ctx, db, file, ext)
	}
	return importCatalogue(ctx, db, file, ext)
}

func exportCatalogue(ctx context.Context, db *storage.DB, file, ext string) error {
	tools, _, err := db.Tools(ctx, "")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if ext == ".json" {
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(tools)
	} else {
		err = writeToolsCSV(&buf, tools)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("exported %d tools to %s\n", len(tools), file)
	return nil
}

// A toolLine is an entry read from a file, with the line it starts on.
type toolLine struct {
	line int
	tool *bot.Tool
	err  error // a value that could not be read
}

func importCatalogue(ctx context.Context, db *storage.DB, file, ext string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var lines []toolLine
	if ext == ".json" {
		lines, err = readToolsJSON(data)
	} else {
		lines, err = readToolsCSV(data)
	}
	if err != nil {
		return fmt.Errorf("%s: %w; nothing imported", file, err)
	}
	tools, problems := checkTools(lines)
	if len(problems) > 0 {
		for i, p := range problems {
			if i == maxImportErrors {
				fmt.Fprintf(os.Stderr, "%s: and %d more\n", file, len(problems)-i)
				break
			}
			fmt.Fprintf(os.Stderr, "%s: %s\n", file, p)
		}
		return fmt.Errorf("%s: %d wrong line(s); nothing imported", file, len(problems))
	}
	if len(tools) == 0 {
		return fmt.Errorf("%s: no tools in the file; nothing imported", file)
	}
	if err := db.ImportTools(ctx, tools); err != nil {
		return fmt.Errorf("%w; nothing imported", err)
	}
	fmt.Printf("imported %d tools from %s\n", len(tools), file)
	return nil
}

// checkTools validates every entry and returns one problem per wrong line,
// naming the line and the field.
func checkTools(lines []toolLine) ([]*bot.Tool, []string) {
	text, err := commands.NewCatalogue()
	if err != nil {
		return nil, []string{err.Error()}
	}
	var tools []*bot.Tool
	var problems []string
	seen := map[string]int{}
	for _, l := range lines {
		if l.err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", l.line, l.err))
			continue
		}
		if field, err := l.tool.Validate(); err != nil {
			problems = append(problems, fmt.Sprintf("line %d, field %s: %s", l.line, field, text.Err(bot.English, err)))
			continue
		}
		if first, dup := seen[l.tool.ID]; dup {
			problems = append(problems, fmt.Sprintf("line %d, field id: %s is already on line %d", l.line, l.tool.ID, first))
			continue
		}
		seen[l.tool.ID] = l.line
		tools = append(tools, l.tool)
	}
	return tools, problems
}

// readToolsJSON reads an array of entries, noting the line each starts on.
// Unknown fields are errors: a typo must not silently lose a fact.
func readToolsJSON(data []byte) ([]toolLine, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, errors.New("the file is not a JSON array of tools")
	}
	var out []toolLine
	for dec.More() {
		start := int(dec.InputOffset())
		for start < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[start]) >= 0 {
			start++
		}
		line := 1 + bytes.Count(data[:start], []byte("\n"))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		t := new(bot.Tool)
		one := json.NewDecoder(bytes.NewReader(raw))
		one.DisallowUnknownFields()
		err := one.Decode(t)
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			err = fmt.Errorf("field %s: %s is not a %s", typeErr.Field, typeErr.Value, typeErr.Type)
		}
		if err == nil {
			err = requireBools(raw)
		}
		out = append(out, toolLine{line: line, tool: t, err: err})
	}
	return out, nil
}

// requireBools refuses an entry without "free" or "mobile": a missing
// field would read as false and quietly make a free tool proprietary.
func requireBools(raw json.RawMessage) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	for _, name := range []string{"free", "mobile"} {
		if _, ok := fields[name]; !ok {
			return fmt.Errorf("field %s: missing (true or false)", name)
		}
	}
	return nil
}

// readToolsCSV reads the CSV format: a header naming every column of
// csvColumns, in any order, then one entry per record.
func readToolsCSV(data []byte) ([]toolLine, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	for _, c := range csvColumns {
		if _, ok := col[c]; !ok && !slices.Contains(optionalColumns, c) {
			return nil, fmt.Errorf("line 1: the header lacks the column %s (want %s)", c, strings.Join(csvColumns, ","))
		}
	}
	var out []toolLine
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, err
		}
		if len(rec) != len(header) {
			out = append(out, toolLine{line: line, err: fmt.Errorf("got %d columns, want %d as in the header", len(rec), len(header))})
			continue
		}
		t, err := toolFromCSV(func(name string) string {
			if i, ok := col[name]; ok {
				return rec[i]
			}
			return ""
		})
		out = append(out, toolLine{line: line, tool: t, err: err})
	}
}

func toolFromCSV(get func(string) string) (*bot.Tool, error) {
	list := func(name string) []string {
		if strings.TrimSpace(get(name)) == "" {
			return nil
		}
		return strings.Split(get(name), "|")
	}
	t := &bot.Tool{
		ID: get("id"), Name: get("name"), Categories: list("categories"),
		Needs:       bot.Phrases{FR: list("needs_fr"), EN: list("needs_en")},
		Description: bot.Text{FR: get("description_fr"), EN: get("description_en")},
		License:     get("license"), Replaces: list("replaces"), Hosting: list("hosting"),
		Cost:    bot.Text{FR: get("cost_fr"), EN: get("cost_en")},
		Website: get("website"), Source: get("source"), Checked: get("checked"),
	}
	for _, h := range list("hosts") {
		f := strings.Split(h, ";")
		if len(f) != 4 {
			return nil, fmt.Errorf("field hosts: %q is not name;address;source;checked", h)
		}
		t.Hosts = append(t.Hosts, bot.Host{Name: f[0], URL: f[1], Source: f[2], Checked: f[3]})
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"free", &t.Free}, {"mobile", &t.Mobile}} {
		b, err := strconv.ParseBool(strings.TrimSpace(get(f.name)))
		if err != nil {
			return nil, fmt.Errorf("field %s: %q is not true or false", f.name, get(f.name))
		}
		*f.dst = b
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"user_difficulty", &t.UserDifficulty}, {"admin_difficulty", &t.AdminDifficulty}} {
		n, err := strconv.Atoi(strings.TrimSpace(get(f.name)))
		if err != nil {
			return nil, fmt.Errorf("field %s: %q is not a number from 1 to 3", f.name, get(f.name))
		}
		*f.dst = n
	}
	return t, nil
}

func writeToolsCSV(w io.Writer, tools []*bot.Tool) error {
	cw := csv.NewWriter(w)
	cw.Write(csvColumns)
	for _, t := range tools {
		cw.Write([]string{t.ID, t.Name, strings.Join(t.Categories, "|"), strings.Join(t.Needs.FR, "|"),
			strings.Join(t.Needs.EN, "|"), t.Description.FR, t.Description.EN, t.License, strconv.FormatBool(t.Free),
			strings.Join(t.Replaces, "|"), strings.Join(t.Hosting, "|"), t.Cost.FR, t.Cost.EN,
			strconv.Itoa(t.UserDifficulty), strconv.Itoa(t.AdminDifficulty), strconv.FormatBool(t.Mobile),
			t.Website, t.Source, t.Checked, csvHosts(t.Hosts)})
	}
	cw.Flush()
	return cw.Error()
}

// csvHosts writes hosts as the CSV cell holds them: name;address;source;checked,
// joined with "|".
func csvHosts(hosts []bot.Host) string {
	var out []string
	for _, h := range hosts {
		out = append(out, strings.Join([]string{h.Name, h.URL, h.Source, h.Checked}, ";"))
	}
	return strings.Join(out, "|")
}
