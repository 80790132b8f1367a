package commands

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzSignedStates: no dialog state or button context a client makes up
// verifies; only what Balise signed does.
func FuzzSignedStates(f *testing.F) {
	// A fixed clock: the fuzzer's workers are processes of their own, and
	// with the real one a worker starting a second later signs another
	// "good" state, so that the coordinator's, genuinely signed, looked
	// made up. Far ahead, so that states signed by earlier runs, kept in
	// the fuzz cache, have expired.
	now := func() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }
	s := NewSigner([]byte("key"), now)
	good := s.DialogState("decide", "camille", map[string]string{"channel": "board"})
	f.Add(good, `{"a":"vote","d":"1","c":"0","sig":"00"}`)
	f.Add(good+"x", `{"a":"vote"}`)
	f.Add("e30.", `{}`)
	f.Add("", `{"sig":""}`)
	f.Fuzz(func(t *testing.T, state, button string) {
		if _, err := s.VerifyDialog("decide", "camille", state); err == nil && state != good {
			t.Fatalf("a made-up state %q verified", state)
		}
		var ctx map[string]any
		if json.Unmarshal([]byte(button), &ctx) != nil {
			return
		}
		if fields, err := s.VerifyButton(ctx); err == nil {
			t.Fatalf("a made-up button context %q verified as %v", button, fields)
		}
	})
}
