// Package commandstest has the fakes and the rig that the HTTP face and the
// capabilities test with: a chat that remembers what Balise posted, and a
// server driven as Mattermost drives it.
package commandstest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"balise/bot"
)

var _ bot.Messenger = (*Chat)(nil)

// Chat is a Messenger that remembers what Balise posted. Camille speaks
// French, alex English; both are in Paris.
type Chat struct {
	mu      sync.Mutex
	posts   map[string]bot.Message
	order   []string
	dms     map[string][]bot.Message
	dialogs []bot.Dialog
	files   map[string][]bot.File
	Members map[string][]string // channel id: its members
	Admins  map[string]bool     // team and system admins
	Gone    map[string]bool     // members who left every team or were deactivated
	// Unsure makes IsActiveTeamMember fail (Mattermost cannot say).
	Unsure bool
	down   bool
	refuse error // every post and direct message fails with it (a permanent failure)
	lose   int   // so many next posts are created, but their answer is lost
}

// NewChat returns an empty chat.
func NewChat() *Chat {
	return &Chat{posts: map[string]bot.Message{}, files: map[string][]bot.File{}, dms: map[string][]bot.Message{}, Members: map[string][]string{}, Admins: map[string]bool{},
		Gone: map[string]bool{}}
}

func (f *Chat) Post(ctx context.Context, m bot.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", fmt.Errorf("mattermost down")
	}
	if f.refuse != nil {
		return "", f.refuse
	}
	id := fmt.Sprintf("post%d", len(f.order)+1)
	f.posts[id] = m
	f.order = append(f.order, id)
	if f.lose > 0 {
		f.lose--
		return "", fmt.Errorf("timeout: the answer was lost")
	}
	return id, nil
}

func (f *Chat) Update(ctx context.Context, postID string, m bot.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return fmt.Errorf("mattermost down")
	}
	if f.refuse != nil {
		return f.refuse
	}
	// as Mattermost does, an update changes the text and card, not where
	// the post is
	old := f.posts[postID]
	m.ChannelID, m.RootID = old.ChannelID, old.RootID
	f.posts[postID] = m
	return nil
}

func (f *Chat) FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range f.order {
		if m := f.posts[id]; key != "" && m.Key == key && m.ChannelID == channelID {
			return id, true, nil
		}
	}
	for user, dms := range f.dms {
		for i, m := range dms {
			if key != "" && m.Key == key && channelID == "dm-"+user {
				return fmt.Sprintf("dm-%s-%d", user, i), true, nil
			}
		}
	}
	return "", false, nil
}

func (f *Chat) DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", fmt.Errorf("mattermost down")
	}
	if f.refuse != nil {
		return "", f.refuse
	}
	f.dms[userID] = append(f.dms[userID], m)
	if f.lose > 0 {
		f.lose--
		return "", fmt.Errorf("timeout: the answer was lost")
	}
	return "dm-" + userID, nil
}

func (f *Chat) DirectChannel(ctx context.Context, userID string) (string, error) {
	return "dm-" + userID, nil
}

func (f *Chat) Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error) {
	id, err := f.Post(ctx, m)
	if err == nil {
		f.mu.Lock()
		f.files[id] = files
		f.mu.Unlock()
	}
	return id, err
}

// Files returns the files attached to a post.
func (f *Chat) Files(postID string) []bot.File {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.files[postID]
}

func (f *Chat) Member(ctx context.Context, userID string) (bot.Member, error) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		return bot.Member{}, fmt.Errorf("mattermost down")
	}
	locale := "fr"
	if userID == "alex" {
		locale = "en"
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	return bot.Member{ID: userID, Username: userID, Locale: locale, Location: paris}, nil
}

// MemberByUsername knows every username but "nobody"; ids are usernames.
func (f *Chat) MemberByUsername(ctx context.Context, username string) (bot.Member, error) {
	name := strings.TrimPrefix(username, "@")
	if name == "nobody" {
		return bot.Member{}, bot.Errorf(bot.ENOTFOUND, "error.user_unknown", "name", name)
	}
	return f.Member(ctx, name)
}

func (f *Chat) JoinChannel(ctx context.Context, channelID string) error { return nil }

func (f *Chat) OpenDialog(ctx context.Context, triggerID, url string, d bot.Dialog) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dialogs = append(f.dialogs, d)
	return nil
}

func (f *Chat) ChannelMembers(ctx context.Context, channelID string) ([]string, error) {
	return f.Members[channelID], nil
}

func (f *Chat) IsChannelMember(ctx context.Context, channelID, userID string) (bool, error) {
	for _, m := range f.Members[channelID] {
		if m == userID {
			return true, nil
		}
	}
	return false, nil
}

func (f *Chat) IsActiveTeamMember(ctx context.Context, teamID, userID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Unsure {
		return false, fmt.Errorf("mattermost down")
	}
	return !f.Gone[userID], nil
}

func (f *Chat) IsSystemAdmin(ctx context.Context, userID string) (bool, error) {
	return f.Admins[userID], nil
}

func (f *Chat) IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error) {
	return f.Admins[userID], nil
}

// Post returns what a post holds now.
func (f *Chat) PostOf(id string) bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[id]
}

// Posts returns the ids of the posts made, oldest first.
func (f *Chat) Posts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.order...)
}

// DMs returns the direct messages a member received.
func (f *Chat) DMs(user string) []bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Message(nil), f.dms[user]...)
}

// Dialogs returns the dialogs opened.
func (f *Chat) Dialogs() []bot.Dialog {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Dialog(nil), f.dialogs...)
}

// Refuse makes every post, update and direct message fail with err, as Mattermost
// refuses what can never succeed (archived channel, bot removed); nil ends it.
func (f *Chat) Refuse(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = err
}

// LoseAnswers makes the next n posts be created while their caller hears
// a timeout.
func (f *Chat) LoseAnswers(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose = n
}

// SetDown makes every post, update, direct message and member lookup fail
// (an outage).
func (f *Chat) SetDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// Prefs keeps language choices in memory.
type Prefs struct {
	mu    sync.Mutex
	langs map[string]bot.Lang
}

func (p *Prefs) Lang(ctx context.Context, teamID, userID string) (bot.Lang, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.langs[teamID+userID], nil
}

func (p *Prefs) SetLang(ctx context.Context, teamID, userID string, l bot.Lang) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.langs == nil {
		p.langs = map[string]bot.Lang{}
	}
	p.langs[teamID+userID] = l
	return nil
}

// Tokens gives "tok" for every command of teams "team" and "otherteam".
type Tokens struct{}

func (Tokens) SlashCommandToken(ctx context.Context, teamID, trigger string) (string, error) {
	if teamID != "team" && teamID != "otherteam" {
		return "", nil
	}
	return "tok", nil
}
