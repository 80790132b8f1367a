package commands

import (
	"bytes"
	"encoding/csv"
	"strings"

	"balise/bot"
)

// NewCSV returns a CSV writer into a buffer that the spreadsheets
// associations use open cleanly: a byte-order mark says UTF-8, lines end
// with CRLF, and French readers get ";" as separator, as their spreadsheet
// expects (the comma is their decimal mark). Write cells through Cell.
func NewCSV(l bot.Lang) (*bytes.Buffer, *csv.Writer) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if l == bot.French {
		w.Comma = ';'
	}
	return &buf, w
}

// Cell makes a value safe in a spreadsheet: a cell starting with = + - @
// or a control character would be read as a formula.
func Cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
