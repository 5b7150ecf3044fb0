package serve

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"briefs/internal/build"
)

// TestNewChangeCancelsRebuild: a save during a rebuild cancels it, and the
// rebuild that follows shows the latest save.
func TestNewChangeCancelsRebuild(t *testing.T) {
	dir := tinyProject(t)
	var block atomic.Bool
	started := make(chan struct{}, 1)
	cancelled := make(chan error, 1)
	s := startWith(t, Options{Dir: dir, build: func(ctx context.Context, cfg build.Config) (*build.Result, error) {
		if block.Load() {
			// A build that runs until it is cancelled, as a
			// runaway template would.
			started <- struct{}{}
			<-ctx.Done()
			cancelled <- ctx.Err()
			return nil, ctx.Err()
		}
		return build.Run(ctx, cfg)
	}})
	page := s.url + "en/briefs/a/"
	brief := filepath.Join(dir, "content/briefs/a/index.en.md")
	block.Store(true)
	replaceIn(t, brief, "Body of A.", "Body of A, first save.")
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("no rebuild started 30 s after a save")
	}
	block.Store(false)
	replaceIn(t, brief, "first save", "second save")
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the blocked rebuild ended with %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the running rebuild was not cancelled 30 s after a newer save; serve printed:\n%s", s.out)
	}
	select {
	case err := <-s.rebuilt:
		if err != nil {
			t.Fatalf("the rebuild after the cancelled one: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no rebuild 30 s after the cancelled one")
	}
	if _, body := get(t, page); !strings.Contains(body, "Body of A, second save.") {
		t.Errorf("the page does not show the second save")
	}
	if !strings.Contains(s.out.String(), "content/briefs/a/index.en.md: changed during a rebuild; cancelling it to start again") {
		t.Errorf("serve did not say it cancelled the rebuild:\n%s", s.out)
	}
}
