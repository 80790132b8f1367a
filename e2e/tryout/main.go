// Command tryout brings up a local Mattermost (built from the Go module
// proxy) with PostgreSQL and Balise connected to it, creates two members,
// camille (French) and alex (English), and lets you type commands as them.
//
//	go run ./e2e/tryout
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"balise/e2e/mmtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tryout:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "balise-tryout-")
	if err != nil {
		return err
	}
	logf := func(f string, a ...any) { fmt.Printf(f+"\n", a...) }
	logf("starting PostgreSQL and Mattermost %s in %s ...", mmtest.MattermostVersion, dir)
	mm, err := mmtest.Start(ctx, dir, logf)
	if err != nil {
		return err
	}
	defer mm.Stop()
	users := map[string]*mmtest.User{}
	for _, u := range []struct{ name, locale string }{{"camille", "fr"}, {"alex", "en"}} {
		if users[u.name], err = mm.AddUser(ctx, u.name, u.locale); err != nil {
			return err
		}
		if err := users[u.name].JoinChannel(ctx, mm.Channel.Id); err != nil {
			return err
		}
	}
	b, err := mm.StartBalise(ctx)
	if err != nil {
		return err
	}
	defer b.Stop()
	fmt.Printf(`
Balise is up.
  Mattermost  %s  (API only: this server has no web app)
              admin / Admin-passw0rd!   camille / Passw0rd-camille! (fr)   alex / Passw0rd-alex! (en)
  Balise      %s   database %s
Type a command as camille in ~town-square, e.g. /balise help or /outil partager des fichiers.
Type "as alex" to switch member, "click Agree" to click the newest button labelled so,
Ctrl-D or Ctrl-C to stop everything.
`, mm.URL, b.URL, b.DB)
	return repl(ctx, mm, users)
}

// repl runs each line as a slash command and prints the reply and the new
// posts of the channel.
func repl(ctx context.Context, mm *mmtest.Mattermost, users map[string]*mmtest.User) error {
	who := "camille"
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		fmt.Printf("%s> ", who)
		var line string
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				if ctx.Err() == nil && !isTerminal() {
					<-ctx.Done() // not interactive: serve until stopped
				}
				return nil
			}
			line = strings.TrimSpace(l)
		}
		if name, ok := strings.CutPrefix(line, "as "); ok {
			if _, known := users[name]; known {
				who = name
			}
			continue
		}
		if label, ok := strings.CutPrefix(line, "click "); ok {
			click(ctx, mm, users[who], label)
			continue
		}
		if !strings.HasPrefix(line, "/") {
			continue
		}
		since := time.Now().Add(-time.Second).UnixMilli()
		reply, err := users[who].Run(ctx, mm.Channel.Id, line)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(reply)
		time.Sleep(time.Second)
		posts, _ := users[who].Posts(ctx, mm.Channel.Id)
		for i := len(posts) - 1; i >= 0; i-- {
			if posts[i].CreateAt >= since {
				fmt.Printf("[post %s]\n%s\n", posts[i].Id, mmtest.PostText(posts[i]))
			}
		}
	}
}

// click clicks the newest button of the town square whose label contains
// label, as the member would.
func click(ctx context.Context, mm *mmtest.Mattermost, u *mmtest.User, label string) {
	posts, err := u.Posts(ctx, mm.Channel.Id)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, p := range posts {
		if id := mmtest.ActionID(p, label); id != "" {
			if err := u.Click(ctx, p.Id, id); err != nil {
				fmt.Println("error:", err)
				return
			}
			time.Sleep(time.Second)
			if p, _, err := u.Client.GetPost(ctx, p.Id, ""); err == nil {
				fmt.Printf("[post %s]\n%s\n", p.Id, mmtest.PostText(p))
			}
			return
		}
	}
	fmt.Printf("no button %q in the town square\n", label)
}

func isTerminal() bool {
	st, err := os.Stdin.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
