package commands

import (
	"testing"
	"time"
)

func TestButtonContextVerifies(t *testing.T) {
	s := NewSigner([]byte("k"), nil)
	ctx := s.ButtonContext(map[string]string{"a": "vote", "decision": "7", "choice": "agree"})
	got, err := s.VerifyButton(ctx)
	if err != nil {
		t.Fatalf("VerifyButton: %v", err)
	}
	if got["choice"] != "agree" || got["a"] != "vote" {
		t.Fatalf("got %v, want the signed fields back", got)
	}
}

func TestButtonContextRefusesTampering(t *testing.T) {
	s := NewSigner([]byte("k"), nil)
	for name, mutate := range map[string]func(map[string]any){
		"changed field": func(c map[string]any) { c["choice"] = "block" },
		"added field":   func(c map[string]any) { c["admin"] = "yes" },
		"no signature":  func(c map[string]any) { delete(c, "sig") },
		"non-string":    func(c map[string]any) { c["decision"] = 7.0 },
		"forged":        func(c map[string]any) { c["sig"] = "AAAA" },
	} {
		ctx := s.ButtonContext(map[string]string{"a": "vote", "decision": "7", "choice": "agree"})
		mutate(ctx)
		if _, err := s.VerifyButton(ctx); err == nil {
			t.Errorf("%s: got no error, want the click refused", name)
		}
	}
	ctx := NewSigner([]byte("other key"), nil).ButtonContext(map[string]string{"a": "vote"})
	if _, err := s.VerifyButton(ctx); err == nil {
		t.Error("other key: got no error, want the click refused")
	}
}

func TestDialogStateBindsCallbackAndUser(t *testing.T) {
	s := NewSigner([]byte("k"), nil)
	state := s.DialogState("lang", "u1", map[string]string{"x": "1"})
	if f, err := s.VerifyDialog("lang", "u1", state); err != nil || f["x"] != "1" {
		t.Fatalf("VerifyDialog = %v, %v; want the fields back", f, err)
	}
	for _, c := range []struct{ cb, user, state string }{
		{"lang", "u2", state},
		{"decide", "u1", state},
		{"lang", "u1", state + "x"},
		{"lang", "u1", "e30." + state[len(state)-10:]},
		{"lang", "u1", ""},
	} {
		if _, err := s.VerifyDialog(c.cb, c.user, c.state); err == nil {
			t.Errorf("VerifyDialog(%q, %q, %q): got no error, want refused", c.cb, c.user, c.state)
		}
	}
}

func TestDialogStateExpiresAfterADay(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := NewSigner([]byte("k"), func() time.Time { return now })
	state := s.DialogState("decide", "u1", map[string]string{"channel": "board"})
	now = now.Add(DialogLife - time.Minute)
	if _, err := s.VerifyDialog("decide", "u1", state); err != nil {
		t.Fatalf("VerifyDialog before expiry: %v, want accepted", err)
	}
	now = now.Add(2 * time.Minute)
	if f, err := s.VerifyDialog("decide", "u1", state); err == nil {
		t.Fatalf("VerifyDialog after a day = %v; want refused", f)
	}
}
