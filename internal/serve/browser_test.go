package serve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestBrowserReload opens a served page in headless Chromium (through
// playwright-core, internal/sitecheck/reload.mjs) and watches it reload
// itself after a brief is saved, and swap its stylesheet in place after a
// CSS edit. It needs node, Chromium and `npm ci --prefix internal/sitecheck`;
// without them it skips, unless BRIEFS_REQUIRE_TOOLS is set (CI).
func TestBrowserReload(t *testing.T) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	node, err := exec.LookPath("node")
	missing := ""
	switch {
	case err != nil:
		missing = "node"
	case !exists(chromium):
		missing = chromium
	case !exists("../sitecheck/node_modules/playwright-core"):
		missing = "playwright-core (npm ci --prefix internal/sitecheck)"
	}
	if missing != "" {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatalf("missing %s", missing)
		}
		t.Skipf("missing %s", missing)
	}
	dir := project(t)
	s := start(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "../sitecheck/reload.mjs",
		s.url+"zh/briefs/2026-01-27-fed-preview/",
		filepath.Join(dir, "content/briefs/2026-01-27-fed-preview/index.zh.md"),
		filepath.Join(dir, "assets/css/site.css"))
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "OLD_TEXT=观察清单", "NEW_TEXT=观察名单")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s\nserve log:\n%s%s", err, out, s.out, s.err)
	}
	t.Logf("%s", out)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
