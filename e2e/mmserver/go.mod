// Module mmserver builds the Mattermost server v6.7.2 that the end-to-end
// tests and the local try-out run against. It is kept apart from Balise's
// own module so that the server's dependencies never reach Balise's build.
module balise.local/mmserver

go 1.26

require github.com/mattermost/mattermost-server/v6 v6.7.2

replace github.com/Masterminds/squirrel v1.5.2 => github.com/lieut-data/squirrel v1.5.4
