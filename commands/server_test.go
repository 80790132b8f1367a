package commands

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPanicIsAnsweredPolitely(t *testing.T) {
	r := newRig(t)
	r.srv.addCommand(&command{name: "boom", run: func(context.Context, *Input) (string, error) { panic("boom") }}, "decide")
	code, text := r.command("camille", "tok", "anything")
	if code != http.StatusOK || !strings.Contains(text, "Oups") {
		t.Errorf("panic: got %d %q, want a polite French message", code, text)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	r := newRig(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		rec := httptest.NewRecorder()
		r.h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("%s: got %d, want %d", path, rec.Code, want)
		}
	}
	r.srv.ready = func(context.Context) error { return errors.New("database: closed") }
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz when the database is down: got %d, want 503", rec.Code)
	}
}

func TestBodiesAreCapped(t *testing.T) {
	r := newRig(t)
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, httptest.NewRequest("POST", "/actions", strings.NewReader(`{"context":"`+strings.Repeat("x", 2<<20)+`"}`)))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("a 2 MiB click: got %d, want 400", rec.Code)
	}
}
