package main

import (
	"testing"
)

// FuzzCatalogueImport: any CSV or JSON file is read into tools or refused
// line by line, never a panic, and what is accepted passes the checks.
func FuzzCatalogueImport(f *testing.F) {
	f.Add([]byte(csvHeader + goodLine))
	f.Add([]byte(csvHeader + `x,"unclosed` + "\n"))
	f.Add([]byte(`[{"id":"a","name":"A","free":true,"mobile":false}]`))
	f.Add([]byte(`[{"id":1}]`))
	f.Add([]byte("\xef\xbb\xbf" + csvHeader))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, read := range []func([]byte) ([]toolLine, error){readToolsCSV, readToolsJSON} {
			lines, err := read(data)
			if err != nil {
				continue
			}
			tools, problems := checkTools(lines)
			if len(problems) == 0 && len(tools) != len(lines) {
				t.Fatalf("%d lines, no problem, but %d tools", len(lines), len(tools))
			}
		}
	})
}
