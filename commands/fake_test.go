package commands

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
)

var _ bot.Messenger = (*fakeChat)(nil)

// fakeChat is a Messenger that remembers what Balise posted.
type fakeChat struct {
	mu      sync.Mutex
	posts   map[string]bot.Message
	order   []string
	dms     map[string][]bot.Message
	dialogs []bot.Dialog
	members map[string][]string
	admins  map[string]bool
	down    bool
}

func newFakeChat() *fakeChat {
	return &fakeChat{posts: map[string]bot.Message{}, dms: map[string][]bot.Message{}, members: map[string][]string{}, admins: map[string]bool{}}
}

func (f *fakeChat) Post(ctx context.Context, m bot.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", fmt.Errorf("mattermost down")
	}
	id := fmt.Sprintf("post%d", len(f.order)+1)
	f.posts[id] = m
	f.order = append(f.order, id)
	return id, nil
}

func (f *fakeChat) Update(ctx context.Context, postID string, m bot.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return fmt.Errorf("mattermost down")
	}
	f.posts[postID] = m
	return nil
}

func (f *fakeChat) FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range f.order {
		if m := f.posts[id]; key != "" && m.Key == key && m.ChannelID == channelID {
			return id, true, nil
		}
	}
	return "", false, nil
}

func (f *fakeChat) DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", fmt.Errorf("mattermost down")
	}
	f.dms[userID] = append(f.dms[userID], m)
	return "dm-" + userID, nil
}

func (f *fakeChat) DirectChannel(ctx context.Context, userID string) (string, error) {
	return "dm-" + userID, nil
}

func (f *fakeChat) Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error) {
	return f.Post(ctx, m)
}

func (f *fakeChat) Member(ctx context.Context, userID string) (bot.Member, error) {
	locale := "fr"
	if userID == "alex" {
		locale = "en"
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	return bot.Member{ID: userID, Username: userID, Locale: locale, Location: paris}, nil
}

func (f *fakeChat) JoinChannel(ctx context.Context, channelID string) error { return nil }

func (f *fakeChat) OpenDialog(ctx context.Context, triggerID, url string, d bot.Dialog) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dialogs = append(f.dialogs, d)
	return nil
}

func (f *fakeChat) ChannelMembers(ctx context.Context, channelID string) ([]string, error) {
	return f.members[channelID], nil
}

func (f *fakeChat) IsChannelMember(ctx context.Context, channelID, userID string) (bool, error) {
	for _, m := range f.members[channelID] {
		if m == userID {
			return true, nil
		}
	}
	return false, nil
}

func (f *fakeChat) IsSystemAdmin(ctx context.Context, userID string) (bool, error) {
	return f.admins[userID], nil
}

func (f *fakeChat) IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error) {
	return f.admins[userID], nil
}

func (f *fakeChat) post(id string) bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[id]
}

// fakePrefs keeps language choices in memory.
type fakePrefs struct {
	mu    sync.Mutex
	langs map[string]bot.Lang
}

func (p *fakePrefs) Lang(ctx context.Context, teamID, userID string) (bot.Lang, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.langs[teamID+userID], nil
}

func (p *fakePrefs) SetLang(ctx context.Context, teamID, userID string, l bot.Lang) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.langs[teamID+userID] = l
	return nil
}

type fakeTokens map[string]string

func (t fakeTokens) SlashCommandToken(ctx context.Context, teamID, trigger string) (string, error) {
	return t[teamID+"/"+trigger], nil
}

// MustServer returns a server on fakes, with the given decisions store.
func MustServer(tb interface{ Helper() }, chat *fakeChat, decisions bot.Decisions, outbox bot.Outbox) *Server {
	tb.Helper()
	text, err := NewCatalogue()
	if err != nil {
		panic(err)
	}
	return NewServer(Config{
		Log: zerolog.Nop(), Tokens: fakeTokens{"team/balise": "tok", "team/decide": "tok"},
		Prefs: &fakePrefs{langs: map[string]bot.Lang{}}, Chat: chat, Signer: NewSigner([]byte("key")), Text: text,
		PublicURL: "http://balise", MattermostURL: "http://chat", Decisions: decisions, Outbox: outbox,
		Now:   func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) },
		Ready: func(context.Context) error { return nil },
	})
}
