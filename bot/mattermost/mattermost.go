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
	actionURL string // where Mattermost sends button clicks

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
// bot's token. actionURL is Balise's endpoint for button clicks.
func New(serverURL, token, botID, actionURL string) *Client {
	api := model.NewAPIv4Client(serverURL)
	api.HTTPClient = NewHTTPClient()
	api.SetToken(token)
	return &Client{api: api, botID: botID, actionURL: actionURL,
		members: map[string]cachedMember{}, dms: map[string]string{}}
}

func (c *Client) toPost(m bot.Message) *model.Post {
	p := &model.Post{ChannelId: m.ChannelID, RootId: m.RootID, Message: m.Text, PendingPostId: pendingID(c.botID, m.Key)}
	c.attachCard(p, m.Card)
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

func (c *Client) attachCard(p *model.Post, card *bot.Card) {
	if card == nil {
		p.DelProp("attachments")
		return
	}
	a := &model.SlackAttachment{Title: card.Title, Text: card.Text, Color: card.Color}
	for _, b := range card.Buttons {
		a.Actions = append(a.Actions, &model.PostAction{
			Id: b.ID, Name: b.Label, Style: b.Style, Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: c.actionURL, Context: b.Context},
		})
	}
	model.ParseSlackAttachment(p, []*model.SlackAttachment{a})
}

// Post implements bot.Messenger.
func (c *Client) Post(ctx context.Context, m bot.Message) (string, error) {
	p, _, err := c.api.CreatePost(ctx, c.toPost(m))
	if err != nil {
		return "", internal("create post", err)
	}
	return p.Id, nil
}

// Update implements bot.Messenger.
func (c *Client) Update(ctx context.Context, postID string, m bot.Message) error {
	p, _, err := c.api.GetPost(ctx, postID, "")
	if err != nil {
		return internal("read post", err)
	}
	p.Message = m.Text
	c.attachCard(p, m.Card)
	if _, _, err := c.api.UpdatePost(ctx, postID, p); err != nil {
		return internal("update post", err)
	}
	return nil
}

// DirectChannel implements bot.Messenger.
func (c *Client) DirectChannel(ctx context.Context, userID string) (string, error) {
	c.mu.Lock()
	ch, ok := c.dms[userID]
	c.mu.Unlock()
	if ok {
		return ch, nil
	}
	dm, _, err := c.api.CreateDirectChannel(ctx, c.botID, userID)
	if err != nil {
		return "", internal("open direct channel", err)
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
		up, _, err := c.api.UploadFile(ctx, f.Data, m.ChannelID, f.Name)
		if err != nil {
			return "", internal("upload file", err)
		}
		for _, info := range up.FileInfos {
			p.FileIds = append(p.FileIds, info.Id)
		}
	}
	created, _, err := c.api.CreatePost(ctx, p)
	if err != nil {
		return "", internal("create post", err)
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
	u, _, err := c.api.GetUser(ctx, userID, "")
	if err != nil {
		return bot.Member{}, internal("read user", err)
	}
	loc, err := time.LoadLocation(model.GetPreferredTimezone(u.Timezone))
	if err != nil {
		loc = time.UTC
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
		return bot.Member{}, internal("read user by name", err)
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
	return internal("join channel", err)
}

// Ping reports whether Mattermost answers, for readiness.
func (c *Client) Ping(ctx context.Context) error {
	if _, _, err := c.api.GetPing(ctx); err != nil {
		return internal("ping", err)
	}
	return nil
}

// Describe wraps a Mattermost error with what was attempted, keeping only
// its id and status: Mattermost's detailed text may echo a token.
func Describe(what string, err error) error { return internal(what, err) }

func internal(what string, err error) error {
	var appErr *model.AppError
	if errors.As(err, &appErr) {
		return fmt.Errorf("mattermost %s: %s (%d)", what, appErr.Id, appErr.StatusCode)
	}
	return fmt.Errorf("mattermost %s: %w", what, err)
}

// OpenDialog implements bot.Messenger.
func (c *Client) OpenDialog(ctx context.Context, triggerID, dialogURL string, d bot.Dialog) error {
	md := model.Dialog{CallbackId: d.CallbackID, Title: d.Title, IntroductionText: d.Intro,
		SubmitLabel: d.SubmitLabel, State: d.State}
	for _, f := range d.Fields {
		e := model.DialogElement{Name: f.Name, DisplayName: f.Label, Type: f.Kind, SubType: f.Subtype,
			Default: f.Default, HelpText: f.Help, Optional: f.Optional, MaxLength: f.MaxLen}
		for _, o := range f.Options {
			e.Options = append(e.Options, &model.PostActionOptions{Text: o.Label, Value: o.Value})
		}
		md.Elements = append(md.Elements, e)
	}
	_, err := c.api.OpenInteractiveDialog(ctx, model.OpenDialogRequest{TriggerId: triggerID, URL: dialogURL, Dialog: md})
	if err != nil {
		return internal("open dialog", err)
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
	return false, internal("read channel member", err)
}

// ChannelMembers implements bot.Messenger.
func (c *Client) ChannelMembers(ctx context.Context, channelID string) ([]string, error) {
	var ids []string
	for page := 0; ; page++ {
		users, _, err := c.api.GetUsersInChannel(ctx, channelID, page, 200, "")
		if err != nil {
			return nil, internal("list channel members", err)
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
	u, _, err := c.api.GetUser(ctx, userID, "")
	if err != nil {
		return false, internal("read user", err)
	}
	return u.IsInRole(model.SystemAdminRoleId), nil
}

// IsTeamAdmin implements bot.Messenger.
func (c *Client) IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error) {
	if admin, err := c.IsSystemAdmin(ctx, userID); err != nil || admin {
		return admin, err
	}
	tm, _, err := c.api.GetTeamMember(ctx, teamID, userID, "")
	if err != nil {
		return false, internal("read team member", err)
	}
	return tm.SchemeAdmin || strings.Contains(" "+tm.Roles+" ", " "+model.TeamAdminRoleId+" "), nil
}
