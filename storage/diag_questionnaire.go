package storage

import (
	"embed"
	"fmt"
	"io/fs"

	"balise/bot"
)

//go:embed diag/questionnaire.v*.json
var questionnaireFiles embed.FS

// Questionnaires returns every version of the diagnostic's questionnaire
// shipped with this Balise, by version. A campaign uses the version it was
// opened with, so old versions are never removed.
func Questionnaires() (map[int]*bot.Questionnaire, error) {
	names, err := fs.Glob(questionnaireFiles, "diag/questionnaire.v*.json")
	if err != nil {
		return nil, err
	}
	out := map[int]*bot.Questionnaire{}
	for _, name := range names {
		data, err := questionnaireFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		q, err := bot.ParseQuestionnaire(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if want := fmt.Sprintf("diag/questionnaire.v%d.json", q.Version); name != want {
			return nil, fmt.Errorf("%s holds version %d: name it %s", name, q.Version, want)
		}
		out[q.Version] = q
	}
	return out, nil
}
