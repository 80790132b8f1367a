package commands

import (
	"context"

	"balise/bot"
)

// Channels is what EnterChannel asks of Mattermost.
type Channels interface {
	JoinChannel(ctx context.Context, channelID string) error
	IsChannelMember(ctx context.Context, channelID, userID string) (bool, error)
}

// EnterChannel prepares a channel for what a member opens there (a
// decision, a plan, a campaign): the bot joins it so that it can post, and
// the member must still belong to it, since a form may be submitted, or a
// button clicked, long after it appeared. notMember is the message key of
// the refusal (EFORBIDDEN).
func EnterChannel(ctx context.Context, chat Channels, channelID, userID, notMember string) error {
	if err := chat.JoinChannel(ctx, channelID); err != nil {
		return err
	}
	member, err := chat.IsChannelMember(ctx, channelID, userID)
	if err != nil {
		return err
	}
	if !member {
		return bot.Errorf(bot.EFORBIDDEN, notMember)
	}
	return nil
}
