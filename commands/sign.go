package commands

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Signer signs what Balise hands to Mattermost and gets back from a client:
// button contexts and dialog states. Mattermost strips button contexts from
// what clients see, and dialog states come back from the client, so both
// carry an HMAC over everything they authorise.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a signer with the given secret key; now is the clock
// (time.Now when nil).
func NewSigner(key []byte, now func() time.Time) *Signer {
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, now: now}
}

var errBadSignature = errors.New("bad signature")

const sigField = "sig"

// canonical serialises fields in a stable order, with lengths so that no
// two different maps give the same bytes.
func canonical(fields map[string]string) []byte {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != sigField {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%d:%s=%d:%s;", len(k), k, len(fields[k]), fields[k])
	}
	return []byte(b.String())
}

func (s *Signer) mac(purpose string, fields map[string]string) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write(canonical(fields))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// ButtonContext returns the context of a button: the fields and their HMAC.
func (s *Signer) ButtonContext(fields map[string]string) map[string]any {
	ctx := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		ctx[k] = v
	}
	ctx[sigField] = s.mac("button", fields)
	return ctx
}

// VerifyButton checks a click's context and returns its fields.
func (s *Signer) VerifyButton(ctx map[string]any) (map[string]string, error) {
	fields := make(map[string]string, len(ctx))
	for k, v := range ctx {
		str, ok := v.(string)
		if !ok {
			return nil, errBadSignature
		}
		fields[k] = str
	}
	if !hmac.Equal([]byte(fields[sigField]), []byte(s.mac("button", fields))) {
		return nil, errBadSignature
	}
	delete(fields, sigField)
	return fields, nil
}

// DialogLife is how long a dialog's state stays valid: a form outlives
// neither a day nor, for what it opens, the member's place in the channel.
const DialogLife = 24 * time.Hour

// expField carries a dialog state's expiry, in unix seconds.
const expField = "exp"

// DialogState returns the signed state of a dialog opened for one member
// with one callback id; it expires after DialogLife.
func (s *Signer) DialogState(callbackID, userID string, fields map[string]string) string {
	f := make(map[string]string, len(fields)+1)
	for k, v := range fields {
		f[k] = v
	}
	f[expField] = strconv.FormatInt(s.now().Add(DialogLife).Unix(), 10)
	body, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + s.mac("dialog", map[string]string{"cb": callbackID, "user": userID, "p": payload})
}

// VerifyDialog checks a submitted dialog's state against the callback id and
// the member who submits it, and returns its fields.
func (s *Signer) VerifyDialog(callbackID, userID, state string) (map[string]string, error) {
	payload, sig, ok := strings.Cut(state, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.mac("dialog", map[string]string{"cb": callbackID, "user": userID, "p": payload}))) {
		return nil, errBadSignature
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, errBadSignature
	}
	var fields map[string]string
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, errBadSignature
	}
	exp, err := strconv.ParseInt(fields[expField], 10, 64)
	if err != nil || !s.now().Before(time.Unix(exp, 0)) {
		return nil, errBadSignature
	}
	delete(fields, expField)
	return fields, nil
}
