package mattermost

import (
	"context"
	"net/http"
	"time"
)

// retrying is an http.RoundTripper that retries requests on network errors
// and 5xx answers, with exponential backoff. Posts carry a pending post id,
// so that a retried post is not created twice.
type retrying struct {
	next     http.RoundTripper
	attempts int
	backoff  time.Duration
}

func (t retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.GetBody == nil {
		return t.next.RoundTrip(req) // a body that cannot be read twice is sent once
	}
	wait := t.backoff
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 && req.Body != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(req.Context())
			r.Body = body
		}
		resp, err := t.next.RoundTrip(r)
		if attempt >= t.attempts || (err == nil && resp.StatusCode < 500) || req.Context().Err() != nil {
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		wait *= 2
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
