package mattermost

import "net/http"

// permanentIDs are Mattermost (6.7.2) error ids that no retry can fix,
// whatever status they come with: one of them is answered with a 500. Ids
// that Mattermost also uses for its own outages (app.post.get.app_error is
// a 404 for a deleted post but a 500 when its database fails) are left to
// their status.
var permanentIDs = map[string]bool{
	"api.post.create_post.can_not_post_to_deleted.error":        true, // archived channel (400)
	"api.post.update_post.can_not_update_post_in_deleted.error": true, // archived channel (400)
	"api.post.patch_post.can_not_update_post_in_deleted.error":  true, // archived channel (400)
	"api.post.update_post.find.app_error":                       true, // deleted post (400)
	"api.post.update_post.permissions_details.app_error":        true, // deleted post (400)
	"api.post.create_post.root_id.app_error":                    true, // the thread's root is gone (400)
	"api.post.create_post.channel_root_id.app_error":            true, // the root is in another channel (500)
	"api.context.permissions.app_error":                         true, // the bot is not a member, or may not (403)
	"api.channel.create_direct_channel.invalid_user.app_error":  true, // deactivated or unknown member (400)
	"api.channel.add_user.to.channel.failed.deleted.app_error":  true, // archived channel (400)
	"store.sql_channel.save.archived_channel.app_error":         true, // archived channel (400)
	"api.post.update_post.permissions_time_limit.app_error":     true, // edit time limit passed (400)
	"api.post.update_post.system_message.app_error":             true, // not the bot's post (400)
	"api.context.invalid_body_param.app_error":                  true, // a request Mattermost will always refuse (400)
}

// permanent reports whether a call that failed with this status and error
// id can never succeed: 400, 403, 404, 410 and 413 (the same request will be
// refused again), and the ids above. Everything else is transient: network
// errors (status 0), 401 (a token the operator can fix), 408, 429 and 5xx.
func permanent(status int, id string) bool {
	if permanentIDs[id] {
		return true
	}
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusGone, http.StatusRequestEntityTooLarge:
		return true
	}
	return false
}
