package mattermost

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
)

// MustClient returns a client of a fake Mattermost served by h, retrying
// without waiting.
func MustClient(tb testing.TB, h http.Handler, zone *time.Location) *Client {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	c := New(srv.URL, "token", "botid", "http://balise/actions", zone)
	c.api.HTTPClient = &http.Client{Timeout: 5 * time.Second,
		Transport: retrying{next: http.DefaultTransport, attempts: 2, backoff: time.Millisecond}}
	return c
}

// appError answers as Mattermost does when it refuses a call.
func appError(w http.ResponseWriter, status int, id string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"id": id, "message": "refused", "detailed_error": "secret-detail", "status_code": status})
}

func TestFailuresArePermanentOrTransient(t *testing.T) {
	cases := []struct {
		status    int
		id        string
		permanent bool
	}{
		{http.StatusBadRequest, "api.post.create_post.can_not_post_to_deleted.error", true}, // archived channel
		{http.StatusForbidden, "api.context.permissions.app_error", true},                   // bot not a member
		{http.StatusNotFound, "app.post.get.app_error", true},                               // deleted post
		{http.StatusGone, "", true},
		{http.StatusInternalServerError, "api.post.create_post.channel_root_id.app_error", true}, // a 500 that no retry fixes
		{http.StatusUnauthorized, "api.context.session_expired.app_error", false},                // a token the operator can fix
		{http.StatusRequestTimeout, "", false},
		{http.StatusTooManyRequests, "api.context.rate_limit.app_error", false},
		{http.StatusInternalServerError, "app.post.get.app_error", false}, // Mattermost's database failed
		{http.StatusBadGateway, "", false},
		{http.StatusServiceUnavailable, "", false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.id), func(t *testing.T) {
			c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.id == "" {
					w.WriteHeader(tc.status) // a proxy's answer: no JSON
					return
				}
				appError(w, tc.status, tc.id)
			}), nil)
			_, err := c.Post(t.Context(), bot.Message{ChannelID: "ch", Text: "hello"})
			if err == nil {
				t.Fatal("got no error")
			}
			if got := bot.IsPermanent(err); got != tc.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tc.permanent)
			}
			if tc.id != "" && !strings.Contains(err.Error(), tc.id) {
				t.Errorf("error %q does not name the Mattermost id %s", err, tc.id)
			}
			if strings.Contains(err.Error(), "secret-detail") {
				t.Errorf("error %q repeats Mattermost's detailed text", err)
			}
		})
	}
	t.Run("network", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close() // nothing listens any more
		c := New(srv.URL, "token", "botid", "", nil)
		c.api.HTTPClient = &http.Client{Transport: retrying{next: http.DefaultTransport, attempts: 1}}
		_, err := c.Post(t.Context(), bot.Message{ChannelID: "ch", Text: "hello"})
		if err == nil || bot.IsPermanent(err) {
			t.Errorf("Mattermost unreachable: got %v, want a transient error", err)
		}
	})
	t.Run("every method", func(t *testing.T) {
		c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			appError(w, http.StatusForbidden, "api.context.permissions.app_error")
		}), nil)
		ctx := t.Context()
		_, errDM := c.DirectMessage(ctx, "u", bot.Message{Text: "x"})
		_, errUp := c.Upload(ctx, bot.Message{ChannelID: "ch"}, []bot.File{{Name: "a.png", Data: []byte("png")}})
		_, errMember := c.Member(ctx, "u")
		_, errMembers := c.ChannelMembers(ctx, "ch")
		_, _, errFind := c.FindPostByKey(ctx, "ch", time.Now(), "k")
		for name, err := range map[string]error{"Update": c.Update(ctx, "p", bot.Message{Text: "x"}), "DirectMessage": errDM,
			"Upload": errUp, "Member": errMember, "ChannelMembers": errMembers, "FindPostByKey": errFind,
			"OpenDialog": c.OpenDialog(ctx, "t", "u", bot.Dialog{})} {
			if !bot.IsPermanent(err) {
				t.Errorf("%s on a 403: got %v, want a permanent error", name, err)
			}
		}
	})
}

// fakeMattermost keeps posts the way Mattermost does, for Post, Update and
// FindPostByKey.
type fakeMattermost struct {
	mu      sync.Mutex
	posts   map[string]*model.Post
	order   []string // oldest first
	patches int
	gets    int
	now     int64
}

func newFakeMattermost() *fakeMattermost {
	return &fakeMattermost{posts: map[string]*model.Post{}, now: time.Now().UnixMilli()}
}

func (f *fakeMattermost) add(p *model.Post) {
	f.now++
	p.Id, p.CreateAt = model.NewId(), f.now
	f.posts[p.Id] = p
	f.order = append(f.order, p.Id)
}

func (f *fakeMattermost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v4")
	switch {
	case r.Method == http.MethodPost && path == "/posts":
		var p model.Post
		json.NewDecoder(r.Body).Decode(&p)
		p.UserId = "botid"
		p.AddProp(model.PostPropsFromBot, "true")
		f.add(&p)
		json.NewEncoder(w).Encode(&p)
	case r.Method == http.MethodPut && strings.HasSuffix(path, "/patch"):
		f.patches++
		p, ok := f.posts[strings.TrimSuffix(strings.TrimPrefix(path, "/posts/"), "/patch")]
		if !ok {
			appError(w, http.StatusForbidden, "api.context.permissions.app_error") // what 6.7.2 answers for a deleted post
			return
		}
		var patch model.PostPatch
		json.NewDecoder(r.Body).Decode(&patch)
		p.Patch(&patch) // as Mattermost: the props are replaced
		json.NewEncoder(w).Encode(p)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/posts/"):
		f.gets++
		json.NewEncoder(w).Encode(f.posts[strings.TrimPrefix(path, "/posts/")])
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/posts"):
		var page, perPage int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		fmt.Sscan(r.URL.Query().Get("per_page"), &perPage)
		list := model.NewPostList()
		for i := len(f.order) - 1 - page*perPage; i >= 0 && i > len(f.order)-1-(page+1)*perPage; i-- {
			list.AddPost(f.posts[f.order[i]])
			list.AddOrder(f.order[i])
		}
		json.NewEncoder(w).Encode(list)
	default:
		appError(w, http.StatusNotFound, "api.context.404.app_error")
	}
}

func TestPostsCarryTheirKey(t *testing.T) {
	mm := newFakeMattermost()
	c := MustClient(t, mm, nil)
	id, err := c.Post(t.Context(), bot.Message{ChannelID: "ch", Text: "hello", Key: "letter-1"})
	if err != nil {
		t.Fatal(err)
	}
	p := mm.posts[id]
	if p.GetProp(KeyProp) != "letter-1" || p.PendingPostId != "botid:letter-1" {
		t.Errorf("post props %v, pending id %q; want %s=letter-1 and pending id botid:letter-1", p.GetProps(), p.PendingPostId, KeyProp)
	}
	if id, err = c.Upload(t.Context(), bot.Message{ChannelID: "ch", Key: "chart-1"}, nil); err != nil || mm.posts[id].GetProp(KeyProp) != "chart-1" {
		t.Errorf("upload: %v, props %v; want %s=chart-1", err, mm.posts[id].GetProps(), KeyProp)
	}
}

func TestUpdateIsOnePatchKeepingTheCard(t *testing.T) {
	mm := newFakeMattermost()
	c := MustClient(t, mm, nil)
	ctx := t.Context()
	card := &bot.Card{Title: "Vote", Buttons: []bot.Button{{ID: "vote0", Label: "Agree", Context: map[string]any{"sig": "s"}}}}
	id, err := c.Post(ctx, bot.Message{ChannelID: "ch", Text: "v1", Card: card, Key: "card-1"})
	if err != nil {
		t.Fatal(err)
	}
	card.Title = "Vote (closed)"
	if err := c.Update(ctx, id, bot.Message{Text: "v2", Card: card, Key: "card-1"}); err != nil {
		t.Fatal(err)
	}
	p := mm.posts[id]
	if mm.patches != 1 || mm.gets != 0 {
		t.Errorf("update made %d patches and %d reads, want one patch alone", mm.patches, mm.gets)
	}
	a := p.Attachments()
	if p.Message != "v2" || len(a) != 1 || a[0].Title != "Vote (closed)" || len(a[0].Actions) != 1 ||
		a[0].Actions[0].Integration == nil || a[0].Actions[0].Integration.URL != "http://balise/actions" {
		t.Errorf("after update: message %q, attachments %+v; want v2 and the new card with its button", p.Message, a)
	}
	if p.GetProp(model.PostPropsFromBot) != "true" || p.GetProp(KeyProp) != "card-1" {
		t.Errorf("after update props = %v, want from_bot and the key kept", p.GetProps())
	}
	if err := c.Update(ctx, id, bot.Message{Text: "plain"}); err != nil || len(mm.posts[id].Attachments()) != 0 {
		t.Errorf("update without a card: %v, attachments %v; want the card removed", err, mm.posts[id].Attachments())
	}
	if err := c.Update(ctx, "deleted", bot.Message{Text: "x"}); !bot.IsPermanent(err) {
		t.Errorf("update of a deleted post: got %v, want a permanent error", err)
	}
}

func TestFindPostByKey(t *testing.T) {
	mm := newFakeMattermost()
	c := MustClient(t, mm, nil)
	ctx := t.Context()
	since := time.Now()
	// Someone else's post with the same key, and a post in another channel, are not it.
	mm.add(&model.Post{ChannelId: "ch", UserId: "someone", Props: model.StringInterface{KeyProp: "letter-7"}})
	want, err := c.Post(ctx, bot.Message{ChannelID: "ch", Text: "the letter", Key: "letter-7"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 450 { // more than two pages of later posts
		mm.add(&model.Post{ChannelId: "ch", UserId: "someone", Message: fmt.Sprint(i)})
	}
	got, found, err := c.FindPostByKey(ctx, "ch", since, "letter-7")
	if err != nil || !found || got != want {
		t.Errorf("FindPostByKey = %q, %v, %v; want %q found", got, found, err, want)
	}
	if _, found, err := c.FindPostByKey(ctx, "ch", since, "letter-8"); err != nil || found {
		t.Errorf("an unknown key: found %v, %v; want not found", found, err)
	}
	// Posts older than since (less the clock margin) are not searched.
	mm.posts[want].CreateAt = since.Add(-time.Hour).UnixMilli()
	if _, found, err := c.FindPostByKey(ctx, "ch", since, "letter-7"); err != nil || found {
		t.Errorf("a post from before since: found %v, %v; want not found", found, err)
	}
}

func TestMembersWithoutTimeZoneGetTheDefault(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*model.User{
		"none":     {Id: "none", Username: "none", Timezone: model.StringMap{}},
		"auto":     {Id: "auto", Username: "auto", Timezone: model.StringMap{"useAutomaticTimezone": "true", "automaticTimezone": "America/Cayenne"}},
		"manual":   {Id: "manual", Username: "manual", Timezone: model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": "Asia/Tokyo"}},
		"nonsense": {Id: "nonsense", Username: "nonsense", Timezone: model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": "Mars/Olympus"}},
	}
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(users[strings.TrimPrefix(r.URL.Path, "/api/v4/users/")])
	}), paris)
	for id, want := range map[string]string{"none": "Europe/Paris", "auto": "America/Cayenne", "manual": "Asia/Tokyo", "nonsense": "Europe/Paris"} {
		m, err := c.Member(t.Context(), id)
		if err != nil || m.Location == nil || m.Location.String() != want {
			t.Errorf("member %s: location %v, %v; want %s", id, m.Location, err, want)
		}
	}
	if c := New("http://x", "t", "b", "", nil); c.zone != time.UTC {
		t.Errorf("without a default zone: %v, want UTC", c.zone)
	}
}

// A direct channel whose creation races with the member's own client is
// asked for once more: the second call finds it.
func TestDirectChannelRaceIsAskedAgain(t *testing.T) {
	calls := 0
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			appError(w, http.StatusForbidden, "store.sql_channel.save_direct_channel.app_error")
			return
		}
		json.NewEncoder(w).Encode(&model.Channel{Id: "dm1"})
	}), nil)
	if id, err := c.DirectChannel(t.Context(), "camille"); err != nil || id != "dm1" {
		t.Errorf("DirectChannel = %q, %v; want dm1 on the second call", id, err)
	}
}

// An active member, one who left the team (a deleted membership), one
// never in it, a deactivated account, an unknown account; a refusal (403)
// and an outage are errors, never "gone".
func TestIsActiveTeamMember(t *testing.T) {
	users := map[string]*model.User{
		"active": {Id: "active"}, "left": {Id: "left"}, "never": {Id: "never"}, "forbidden": {Id: "forbidden"}, "down": {Id: "down"},
		"deactivated": {Id: "deactivated", DeleteAt: 1700000000000},
	}
	members := map[string]*model.TeamMember{
		"active": {TeamId: "team", UserId: "active"}, "left": {TeamId: "team", UserId: "left", DeleteAt: 1700000000000},
		"deactivated": {TeamId: "team", UserId: "deactivated"},
	}
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/api/v4")
		if id, ok := strings.CutPrefix(path, "/users/"); ok {
			if u, ok := users[id]; ok {
				json.NewEncoder(w).Encode(u)
				return
			}
			appError(w, http.StatusNotFound, "app.user.missing_account.const")
			return
		}
		id := strings.TrimPrefix(path, "/teams/team/members/")
		switch id {
		case "forbidden":
			appError(w, http.StatusForbidden, "api.context.permissions.app_error")
		case "down":
			w.WriteHeader(http.StatusBadGateway)
		default:
			if m, ok := members[id]; ok {
				json.NewEncoder(w).Encode(m)
				return
			}
			appError(w, http.StatusNotFound, "app.team.get_member.missing.app_error")
		}
	}), nil)
	for id, want := range map[string]bool{"active": true, "left": false, "never": false, "deactivated": false, "unknown": false} {
		if got, err := c.IsActiveTeamMember(t.Context(), "team", id); err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", id, got, err, want)
		}
	}
	for _, id := range []string{"forbidden", "down"} {
		if _, err := c.IsActiveTeamMember(t.Context(), "team", id); err == nil {
			t.Errorf("%s: no error, want one (never taken as gone)", id)
		}
	}
}
