package bot

import "errors"

// ErrPermanent marks a failure that trying again cannot fix: the chat
// refused the call for good (the channel is archived, the post was deleted,
// the bot is no longer a member, the request itself is invalid). Adapters
// wrap such errors with it; anything else (network errors, timeouts, rate
// limits, the server's own failures) may succeed later.
var ErrPermanent = errors.New("permanent failure")

// IsPermanent reports whether err, or an error it wraps, is ErrPermanent:
// whoever retries (the outbox, a card refresh) stops retrying it.
func IsPermanent(err error) bool { return errors.Is(err, ErrPermanent) }
