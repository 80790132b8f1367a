// Package mattermost is Balise's adapter to the Mattermost REST API: it posts
// as the bot, replies in threads, sends direct messages, updates posts,
// uploads files and reads members' locale and time zone.
package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
)

var _ bot.Messenger = (*Client)(nil)

// Client posts as the bot through the REST API.
type Client struct {
	api       *model.Client4
	botID     string
	actionURL string         // where Mattermost sends button clicks
	zone      *time.Location // for members who set no time zone

	mu      sync.Mutex
	members map[string]cachedMember
	dms     map[string]string // user id -> direct channel id
}

type cachedMember struct {
	m       bot.Member
	expires time.Time
}

const memberTTL = 5 * time.Minute

// NewHTTPClient returns the HTTP client Balise uses to call Mattermost:
// a request timeout, and retries with backoff on network errors and 5xx.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout:   20 * time.Second,
		Transport: retrying{next: http.DefaultTransport, attempts: 4, backoff: 200 * time.Millisecond},
	}
}

// New returns a client for the Mattermost at serverURL acting with the
// bot's token. actionURL is Balise's endpoint for button clicks; zone is the
// time zone of members who set none in Mattermost (UTC when nil).
func New(serverURL, token, botID, actionURL string, zone *time.Location) *Client {
	api := model.NewAPIv4Client(serverURL)
	api.HTTPClient = NewHTTPClient()
	api.SetToken(token)
	if zone == nil {
		zone = time.UTC
	}
	return &Client{api: api, botID: botID, actionURL: actionURL, zone: zone,
		members: map[string]cachedMember{}, dms: map[string]string{}}
}

// KeyProp is the post prop that carries a message's idempotency key
// (bot.Message.Key), so that FindPostByKey finds the post long after
// Mattermost has forgotten its pending post id.
const KeyProp = "balise_key"

func (c *Client) toPost(m bot.Message) *model.Post {
	p := &model.Post{ChannelId: m.ChannelID, RootId: m.RootID, Message: m.Text, PendingPostId: pendingID(c.botID, m.Key)}
	if m.Key != "" {
		p.AddProp(KeyProp, m.Key)
	}
	c.attachCards(p, m.Card, m.More)
	return p
}

// pendingID turns an idempotency key into the pending post id Mattermost
// deduplicates on (for 30 s, which covers retries).
func pendingID(botID, key string) string {
	if key == "" {
		key = model.NewId()
	}
	return botID + ":" + key
}

func (c *Client) attachCards(p *model.Post, card *bot.Card, more []*bot.Card) {
	if card == nil {
		p.DelProp("attachments")
		return
	}
	var as []*model.SlackAttachment
	for _, card := range append([]*bot.Card{card}, more...) {
		a := &model.SlackAttachment{Title: card.Title, Text: card.Text, Color: card.Color}
		for _, b := range card.Buttons {
			a.Actions = append(a.Actions, &model.PostAction{
				Id: b.ID, Name: b.Label, Style: b.Style, Type: model.PostActionTypeButton,
				Integration: &model.PostActionIntegration{URL: c.actionURL, Context: b.Context},
			})
		}
		as = append(as, a)
	}
	model.ParseSlackAttachment(p, as)
}

// Post implements bot.Messenger.
func (c *Client) Post(ctx context.Context, m bot.Message) (string, error) {
	p, resp, err := c.api.CreatePost(ctx, c.toPost(m))
	if err != nil {
		return "", fail("create post", resp, err)
	}
	return p.Id, nil
}

// Update implements bot.Messenger with one patch. A patch replaces all the
// props of the post, so it carries every prop Balise's posts have: the card,
// the key when m has one, and from_bot, which Mattermost sets when a bot
// creates a post.
func (c *Client) Update(ctx context.Context, postID string, m bot.Message) error {
	p := c.toPost(m)
	p.AddProp(model.PostPropsFromBot, "true")
	props := model.StringInterface(p.GetProps())
	if _, resp, err := c.api.PatchPost(ctx, postID, &model.PostPatch{Message: &m.Text, Props: &props}); err != nil {
		return fail("update post", resp, err)
	}
	return nil
}

// pageSize is how many posts FindPostByKey reads per request.
const pageSize = 200

// clockSkew widens FindPostByKey's window: since is Balise's clock, the
// posts' times are Mattermost's.
const clockSkew = time.Minute

// FindPostByKey implements bot.Messenger. It reads the channel's posts from
// the newest back to since (less a minute for clocks that disagree) and
// returns the bot's post whose KeyProp is key. Deleted posts are not seen.
func (c *Client) FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (string, bool, error) {
	if key == "" {
		return "", false, nil
	}
	from := since.Add(-clockSkew).UnixMilli()
	for page := 0; ; page++ {
		list, resp, err := c.api.GetPostsForChannel(ctx, channelID, page, pageSize, "", false, false)
		if err != nil {
			return "", false, fail("list posts", resp, err)
		}
		older := len(list.Order) < pageSize // the last page
		for _, id := range list.Order {
			p := list.Posts[id]
			if p == nil {
				continue
			}
			if p.CreateAt < from {
				older = true
				continue
			}
			if p.UserId == c.botID && p.GetProp(KeyProp) == key {
				return p.Id, true, nil
			}
		}
		if older {
			return "", false, nil
		}
	}
}

// DirectChannel implements bot.Messenger.
func (c *Client) DirectChannel(ctx context.Context, userID string) (string, error) {
	c.mu.Lock()
	ch, ok := c.dms[userID]
	c.mu.Unlock()
	if ok {
		return ch, nil
	}
	dm, resp, err := c.api.CreateDirectChannel(ctx, c.botID, userID)
	if err != nil {
		// When the member's client opens the same channel at that moment,
		// Mattermost 6.7 may refuse one of the two creations (a duplicate
		// key); the channel then exists, and asking again finds it.
		dm, resp, err = c.api.CreateDirectChannel(ctx, c.botID, userID)
	}
	if err != nil {
		return "", fail("open direct channel", resp, err)
	}
	c.mu.Lock()
	c.dms[userID] = dm.Id
	c.mu.Unlock()
	return dm.Id, nil
}

// DirectMessage implements bot.Messenger.
func (c *Client) DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error) {
	ch, err := c.DirectChannel(ctx, userID)
	if err != nil {
		return "", err
	}
	m.ChannelID = ch
	return c.Post(ctx, m)
}

// Upload implements bot.Messenger.
func (c *Client) Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error) {
	p := c.toPost(m)
	for _, f := range files {
		up, resp, err := c.api.UploadFile(ctx, f.Data, m.ChannelID, f.Name)
		if err != nil {
			return "", fail("upload file", resp, err)
		}
		for _, info := range up.FileInfos {
			p.FileIds = append(p.FileIds, info.Id)
		}
	}
	created, resp, err := c.api.CreatePost(ctx, p)
	if err != nil {
		return "", fail("create post", resp, err)
	}
	return created.Id, nil
}

// Member implements bot.Messenger.
func (c *Client) Member(ctx context.Context, userID string) (bot.Member, error) {
	c.mu.Lock()
	cm, ok := c.members[userID]
	c.mu.Unlock()
	if ok && time.Now().Before(cm.expires) {
		return cm.m, nil
	}
	u, resp, err := c.api.GetUser(ctx, userID, "")
	if err != nil {
		return bot.Member{}, fail("read user", resp, err)
	}
	loc := c.zone
	if name := model.GetPreferredTimezone(u.Timezone); name != "" {
		if l, err := time.LoadLocation(name); err == nil {
			loc = l
		}
	}
	m := bot.Member{ID: u.Id, Username: u.Username, Locale: u.Locale, Location: loc}
	c.mu.Lock()
	c.members[userID] = cachedMember{m: m, expires: time.Now().Add(memberTTL)}
	c.mu.Unlock()
	return m, nil
}

// MemberByUsername returns the member with that username ("@" allowed),
// ENOTFOUND "error.user_unknown" when there is none. Called when a member
// names others in a command (/diag start --respondents @a @b).
func (c *Client) MemberByUsername(ctx context.Context, username string) (bot.Member, error) {
	name := strings.TrimPrefix(strings.TrimSpace(username), "@")
	u, resp, err := c.api.GetUserByUsername(ctx, name, "")
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest) {
			return bot.Member{}, bot.Errorf(bot.ENOTFOUND, "error.user_unknown", "name", name)
		}
		return bot.Member{}, fail("read user by name", resp, err)
	}
	return c.Member(ctx, u.Id)
}

// JoinChannel implements bot.Messenger.
func (c *Client) JoinChannel(ctx context.Context, channelID string) error {
	_, resp, err := c.api.AddChannelMember(ctx, channelID, c.botID)
	if err == nil {
		return nil
	}
	if resp != nil && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest) {
		return bot.Errorf(bot.ECONFLICT, "error.channel_private") // private channel, or a direct message
	}
	return fail("join channel", resp, err)
}

// Ping reports whether Mattermost answers, for readiness.
func (c *Client) Ping(ctx context.Context) error {
	if _, resp, err := c.api.GetPing(ctx); err != nil {
		return fail("ping", resp, err)
	}
	return nil
}

// Describe wraps a Mattermost error with what was attempted, keeping only
// its id and status: Mattermost's detailed text may echo a token. Like
// every error of this package, it wraps bot.ErrPermanent when retrying
// cannot help.
func Describe(what string, err error) error { return fail(what, nil, err) }

// fail describes a failed call (see Describe) from its error and, when
// Mattermost answered, its response.
func fail(what string, resp *model.Response, err error) error {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	var appErr *model.AppError
	if errors.As(err, &appErr) {
		if status == 0 {
			status = appErr.StatusCode
		}
		if permanent(status, appErr.Id) {
			return fmt.Errorf("mattermost %s: %s (%d): %w", what, appErr.Id, status, bot.ErrPermanent)
		}
		return fmt.Errorf("mattermost %s: %s (%d)", what, appErr.Id, status)
	}
	if permanent(status, "") {
		return fmt.Errorf("mattermost %s (%d): %w: %w", what, status, bot.ErrPermanent, err)
	}
	return fmt.Errorf("mattermost %s: %w", what, err)
}

// OpenDialog implements bot.Messenger.
func (c *Client) OpenDialog(ctx context.Context, triggerID, dialogURL string, d bot.Dialog) error {
	md := model.Dialog{CallbackId: d.CallbackID, Title: d.Title, IntroductionText: d.Intro,
		SubmitLabel: d.SubmitLabel, State: d.State}
	for _, f := range d.Fields {
		e := model.DialogElement{Name: f.Name, DisplayName: f.Label, Type: f.Kind, SubType: f.Subtype,
			Default: f.Default, HelpText: f.Help, Optional: f.Optional, MaxLength: f.MaxLen, DataSource: f.DataSource}
		for _, o := range f.Options {
			e.Options = append(e.Options, &model.PostActionOptions{Text: o.Label, Value: o.Value})
		}
		md.Elements = append(md.Elements, e)
	}
	resp, err := c.api.OpenInteractiveDialog(ctx, model.OpenDialogRequest{TriggerId: triggerID, URL: dialogURL, Dialog: md})
	if err != nil {
		return fail("open dialog", resp, err)
	}
	return nil
}

// IsChannelMember implements bot.Messenger.
func (c *Client) IsChannelMember(ctx context.Context, channelID, userID string) (bool, error) {
	_, resp, err := c.api.GetChannelMember(ctx, channelID, userID, "")
	if err == nil {
		return true, nil
	}
	if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden) {
		return false, nil
	}
	return false, fail("read channel member", resp, err)
}

// ChannelMembers implements bot.Messenger.
func (c *Client) ChannelMembers(ctx context.Context, channelID string) ([]string, error) {
	var ids []string
	for page := 0; ; page++ {
		users, resp, err := c.api.GetUsersInChannel(ctx, channelID, page, 200, "")
		if err != nil {
			return nil, fail("list channel members", resp, err)
		}
		for _, u := range users {
			if !u.IsBot && u.DeleteAt == 0 {
				ids = append(ids, u.Id)
			}
		}
		if len(users) < 200 {
			return ids, nil
		}
	}
}

// IsSystemAdmin implements bot.Messenger.
func (c *Client) IsSystemAdmin(ctx context.Context, userID string) (bool, error) {
	u, resp, err := c.api.GetUser(ctx, userID, "")
	if err != nil {
		return false, fail("read user", resp, err)
	}
	return u.IsInRole(model.SystemAdminRoleId), nil
}

// IsTeamAdmin implements bot.Messenger.
func (c *Client) IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error) {
	if admin, err := c.IsSystemAdmin(ctx, userID); err != nil || admin {
		return admin, err
	}
	tm, resp, err := c.api.GetTeamMember(ctx, teamID, userID, "")
	if err != nil {
		return false, fail("read team member", resp, err)
	}
	return tm.SchemeAdmin || strings.Contains(" "+tm.Roles+" ", " "+model.TeamAdminRoleId+" "), nil
}

// IsActiveTeamMember implements bot.Messenger: the account is not
// deactivated and its team membership is not deleted. Only Mattermost's
// "not found" says no; any other failure is an error, so that nobody is
// handed over because Mattermost could not answer.
func (c *Client) IsActiveTeamMember(ctx context.Context, teamID, userID string) (bool, error) {
	u, resp, err := c.api.GetUser(ctx, userID, "")
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return false, nil
	}
	if err != nil {
		return false, fail("read user", resp, err)
	}
	if u.DeleteAt > 0 {
		return false, nil
	}
	tm, resp, err := c.api.GetTeamMember(ctx, teamID, userID, "")
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return false, nil
	}
	if err != nil {
		return false, fail("read team member", resp, err)
	}
	return tm.DeleteAt == 0, nil
}
