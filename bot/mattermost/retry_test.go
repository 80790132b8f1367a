package mattermost

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesNetworkErrorsAnd5xxWithTheSameBody(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if string(body) != `{"message":"hello"}` {
			t.Errorf("attempt %d got body %q", calls.Load()+1, body)
		}
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := &http.Client{Transport: retrying{next: http.DefaultTransport, attempts: 4, backoff: time.Millisecond}}
	resp, err := c.Post(srv.URL, "application/json", strings.NewReader(`{"message":"hello"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %v %v, want success after retries", resp, err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("calls = %d, want 3 (two 502 then 200)", n)
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	c := &http.Client{Transport: retrying{next: http.DefaultTransport, attempts: 4, backoff: time.Millisecond}}
	resp, err := c.Get(srv.URL)
	if err != nil || resp.StatusCode != http.StatusForbidden || calls.Load() != 1 {
		t.Errorf("got %v %v after %d calls, want one 403", resp, err, calls.Load())
	}
}

func TestGivesUpAfterTheLastAttempt(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := &http.Client{Transport: retrying{next: http.DefaultTransport, attempts: 3, backoff: time.Millisecond}}
	resp, err := c.Get(srv.URL)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable || calls.Load() != 3 {
		t.Errorf("got %v %v after %d calls, want 503 after 3", resp, err, calls.Load())
	}
}
