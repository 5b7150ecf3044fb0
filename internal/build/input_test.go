//go:build unix

package build

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefs/internal/srcfs"
)

// project writes a project folder on disk: the site fixture as content/,
// the real templates/ and assets/, and marketData as a data folder beside
// it. It returns the project and data folders.
func project(t *testing.T) (dir, data string) {
	t.Helper()
	root := t.TempDir()
	dir, data = filepath.Join(root, "site"), filepath.Join(root, "data")
	if err := os.CopyFS(filepath.Join(dir, "content"), fixture(t, "site")); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(data, marketData()); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"templates", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	return dir, data
}

// runPromptly runs the build, failing the test if it is still running
// after a minute: no input may make it wait forever.
func runPromptly(t *testing.T, cfg Config) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), cfg)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("the build is still running after a minute")
		return nil
	}
}

// TestInputsInsideFolders: a build reads only regular files inside its
// folders. A link out of a folder, a pipe or an oversized file fails the
// build with the file named, and the published site stays as it was; a
// link inside the folder is followed.
func TestInputsInsideFolders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, data, outside string)
		want  []string // in the error
	}{
		{
			name: "bundle file linked out",
			setup: func(t *testing.T, dir, _, outside string) {
				link(t, filepath.Join(outside, "secret.txt"), filepath.Join(dir, "content", "briefs", "rotation", "shadow.txt"))
			},
			want: []string{"content/briefs/rotation/shadow.txt: open: a symbolic link to ", "outside/secret.txt, outside the folder "},
		},
		{
			name: "bundle folder linked out",
			setup: func(t *testing.T, dir, _, outside string) {
				link(t, outside, filepath.Join(dir, "content", "briefs", "rotation", "img"))
			},
			want: []string{"content/briefs/rotation/img: open: a symbolic link to "},
		},
		{
			name: "asset linked out",
			setup: func(t *testing.T, dir, _, outside string) {
				link(t, filepath.Join(outside, "secret.txt"), filepath.Join(dir, "assets", "css", "x.css"))
			},
			want: []string{"assets/css/x.css: open: a symbolic link to ", "outside/secret.txt, outside the folder "},
		},
		{
			name: "template linked to /dev/zero",
			setup: func(t *testing.T, dir, _, _ string) {
				remove(t, filepath.Join(dir, "templates", "list.html"))
				link(t, "/dev/zero", filepath.Join(dir, "templates", "list.html"))
			},
			want: []string{"templates/list.html: open: a symbolic link to /dev/zero, outside the folder "},
		},
		{
			name: "price file linked out",
			setup: func(t *testing.T, _, data, outside string) {
				remove(t, filepath.Join(data, "rty.csv"))
				link(t, filepath.Join(outside, "secret.txt"), filepath.Join(data, "rty.csv"))
			},
			want: []string{"data/rty.csv: cannot read: open rty.csv: a symbolic link to "},
		},
		{
			name: "price file a pipe",
			setup: func(t *testing.T, _, data, _ string) {
				remove(t, filepath.Join(data, "rty.csv"))
				fifo(t, filepath.Join(data, "rty.csv"))
			},
			want: []string{"data/rty.csv: cannot read: open rty.csv: a named pipe (FIFO), not a regular file"},
		},
		{
			name: "bundle file a pipe",
			setup: func(t *testing.T, dir, _, _ string) {
				fifo(t, filepath.Join(dir, "content", "briefs", "rotation", "live.csv"))
			},
			want: []string{"content/briefs/rotation/live.csv: open: a named pipe (FIFO), not a regular file"},
		},
		{
			name: "brief a folder",
			setup: func(t *testing.T, dir, _, _ string) {
				remove(t, filepath.Join(dir, "content", "briefs", "older", "index.zh.md"))
				if err := os.Mkdir(filepath.Join(dir, "content", "briefs", "older", "index.zh.md"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"content/briefs/older/index.zh.md: open: a folder, not a file"},
		},
		{
			name: "price file too large",
			setup: func(t *testing.T, _, data, _ string) {
				if err := os.Truncate(filepath.Join(data, "rty.csv"), MaxData+1); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"data/rty.csv: cannot read: open rty.csv: 268435457 bytes: larger than the 256 MiB a file in "},
		},
		{
			name: "brief too large",
			setup: func(t *testing.T, dir, _, _ string) {
				if err := os.Truncate(filepath.Join(dir, "content", "briefs", "older", "index.zh.md"), MaxSource+1); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"content/briefs/older/index.zh.md: open: 8388609 bytes: larger than the 8 MiB a file in "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, data := project(t)
			outside := filepath.Join(filepath.Dir(dir), "outside")
			if err := os.Mkdir(outside, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("SECRET"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := Project(dir, data, Folder)
			cfg.OutDir, cfg.Now = filepath.Join(dir, "public"), now
			if err := runPromptly(t, cfg); err != nil {
				t.Fatalf("first build: %v", err)
			}
			before := readTree(t, cfg.OutDir)

			tt.setup(t, dir, data, outside)
			err := runPromptly(t, cfg)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error quotes the file outside: %v", err)
			}
			if after := readTree(t, cfg.OutDir); !maps.Equal(before, after) {
				t.Errorf("the failed build changed the published site")
			}
		})
	}
}

// A link that stays inside its folder is followed: the bundle publishes
// the file it points to.
func TestLinkInsideFolder(t *testing.T) {
	t.Parallel()
	dir, data := project(t)
	bundle := filepath.Join(dir, "content", "briefs", "rotation")
	link(t, "chart.png", filepath.Join(bundle, "copy.png"))
	cfg := Project(dir, data, Folder)
	cfg.Now = now
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	chart, err := os.ReadFile(filepath.Join(bundle, "chart.png"))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := res.Files["en/briefs/rotation/copy.png"]
	if !ok || string(got) != string(chart) {
		t.Errorf("en/briefs/rotation/copy.png = %q (published %t), want the bytes of chart.png", got, ok)
	}
}

// The caps leave room above the real inputs: the chart font, the largest
// asset, reads with four times its size to spare.
func TestCapsAboveRealInputs(t *testing.T) {
	t.Parallel()
	font, err := fs.ReadFile(Folder(filepath.Join("..", "..", "assets"), srcfs.Max(MaxAsset/4)), ChartFont)
	if err != nil {
		t.Fatalf("%v: MaxAsset leaves too little room", err)
	}
	if len(font) == 0 {
		t.Fatalf("%s is empty", ChartFont)
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func fifo(t *testing.T, name string) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, name string) {
	t.Helper()
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}
