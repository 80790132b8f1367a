package bot

// Dialog is an interactive form that Balise opens for a member. State is
// signed by the HTTP face and comes back with the submission.
type Dialog struct {
	CallbackID  string
	Title       string // at most 24 characters
	Intro       string
	SubmitLabel string
	State       string
	Fields      []Field
}

// Field is one input of a dialog.
type Field struct {
	Name     string
	Label    string
	Kind     string // "text", "textarea", "select", "radio", "bool"
	Subtype  string // for text: "number", "email"...
	Default  string
	Help     string
	Optional bool
	MaxLen   int
	Options  []Option // for select and radio
	// DataSource fills a select from Mattermost: "users" or "channels".
	DataSource string
}

// Option is a choice of a select or radio field.
type Option struct {
	Label string
	Value string
}
