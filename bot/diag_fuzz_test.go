package bot_test

import (
	"os"
	"testing"

	"balise/bot"
)

// FuzzQuestionnaire: a questionnaire file is read and checked, or refused
// with an error, never a panic; one that passes can be scored.
func FuzzQuestionnaire(f *testing.F) {
	if data, err := os.ReadFile("../storage/diag/questionnaire.v1.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"version":1,"dimensions":[],"questions":[]}`))
	f.Add([]byte(`{"version":1,"questions":[{"id":"x","options":[{"id":"a","score":200}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := bot.ParseQuestionnaire(data)
		if err != nil || q.Validate() != nil {
			return
		}
		bot.Score(q, nil, 3)
	})
}
