//go:build unix

package srcfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

const testMax = 1 << 20

// project makes a folder "site" holding a.txt and sub/b.txt, beside a
// folder "outside" holding secret.txt, and applies setup to the site
// folder. It returns the site folder.
func project(t *testing.T, setup func(t *testing.T, site, outside string)) string {
	t.Helper()
	root := t.TempDir()
	site, outside := filepath.Join(root, "site"), filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(site, "sub"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(site, "a.txt"), "a")
	write(t, filepath.Join(site, "sub", "b.txt"), "b")
	write(t, filepath.Join(outside, "secret.txt"), "SECRET")
	if setup != nil {
		setup(t, site, outside)
	}
	return site
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, name string) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
}

// prompt runs f, failing the test if it has not returned after a while:
// reading a pipe with no writer must not wait for one.
func prompt[T any](t *testing.T, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("still blocked after 10s")
		panic("unreachable")
	}
}

// readCase is a file read from a folder made by project.
type readCase struct {
	name  string
	setup func(t *testing.T, site, outside string)
	file  string
	want  string   // the contents, when it reads
	err   error    // what the error is, when it fails
	msg   []string // in the message
}

// TestReadFile reads each case with ReadFile and with Open, through
// openat2 (on Linux) and through os.Root, as without it.
func TestReadFile(t *testing.T) {
	tests := []readCase{
		{name: "regular file", file: "sub/b.txt", want: "b"},
		{
			name: "link inside",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "../a.txt", filepath.Join(site, "sub", "link.txt"))
			},
			file: "sub/link.txt", want: "a",
		},
		{
			name: "folder linked inside",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "sub", filepath.Join(site, "alias"))
			},
			file: "alias/b.txt", want: "b",
		},
		{
			name: "link to a file outside",
			setup: func(t *testing.T, site, outside string) {
				symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "shadow.txt"))
			},
			file: "shadow.txt", err: ErrOutside,
			msg: []string{"a symbolic link to ", "outside/secret.txt, outside the folder ", "copy the file into"},
		},
		{
			name: "relative link out",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "../../outside/secret.txt", filepath.Join(site, "sub", "x.txt"))
			},
			file: "sub/x.txt", err: ErrOutside,
			msg: []string{"a symbolic link to ../../outside/secret.txt (", "outside/secret.txt), outside the folder"},
		},
		{
			name: "link to a folder outside",
			setup: func(t *testing.T, site, outside string) {
				symlink(t, outside, filepath.Join(site, "ext"))
			},
			file: "ext/secret.txt", err: ErrOutside,
			msg: []string{"/site/ext is a symbolic link to ", "/outside, outside the folder"},
		},
		{
			name: "inside link to a link out",
			setup: func(t *testing.T, site, outside string) {
				symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "out.txt"))
				symlink(t, "out.txt", filepath.Join(site, "chain.txt"))
			},
			file: "chain.txt", err: ErrOutside,
			msg: []string{"a symbolic link to out.txt (", "outside/secret.txt), outside the folder"},
		},
		{
			name: "link to /dev/zero",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "/dev/zero", filepath.Join(site, "zero.bin"))
			},
			file: "zero.bin", err: ErrOutside, msg: []string{"a symbolic link to /dev/zero, outside the folder"},
		},
		{
			name: "absolute link inside",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, filepath.Join(site, "a.txt"), filepath.Join(site, "sub", "abs.txt"))
			},
			file: "sub/abs.txt", err: ErrOutside,
			msg: []string{"a symbolic link to /", "/site/a.txt: only relative links that stay inside ", "write it as ../a.txt"},
		},
		{
			name: "link out of the folder and back",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "../site/a.txt", filepath.Join(site, "back.txt"))
			},
			file: "back.txt", err: ErrOutside,
			msg: []string{"a symbolic link to ../site/a.txt (", "/site/a.txt): only relative links that stay inside ", "write it as a.txt"},
		},
		{
			name: "dangling link out",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "../nowhere/x", filepath.Join(site, "gone.txt"))
			},
			file: "gone.txt", err: ErrOutside, msg: []string{"a symbolic link to ../nowhere/x ("},
		},
		{
			name: "long link target",
			setup: func(t *testing.T, site, _ string) {
				symlink(t, "/"+strings.Repeat("d", 250), filepath.Join(site, "long.txt"))
			},
			file: "long.txt", err: ErrOutside, msg: []string{"/" + strings.Repeat("d", 99) + "…" + strings.Repeat("d", 99) + ","},
		},
		{
			name: "named pipe",
			setup: func(t *testing.T, site, _ string) {
				mkfifo(t, filepath.Join(site, "prices.csv"))
			},
			file: "prices.csv", err: ErrNotFile, msg: []string{"a named pipe (FIFO), not a regular file: replace prices.csv with a file"},
		},
		{
			name: "link to a named pipe inside",
			setup: func(t *testing.T, site, _ string) {
				mkfifo(t, filepath.Join(site, "pipe"))
				symlink(t, "pipe", filepath.Join(site, "data.csv"))
			},
			file: "data.csv", err: ErrNotFile, msg: []string{"a named pipe (FIFO)"},
		},
		{
			name: "folder named like a file",
			setup: func(t *testing.T, site, _ string) {
				if err := os.Mkdir(filepath.Join(site, "site.toml"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			file: "site.toml", err: ErrNotFile, msg: []string{"a folder, not a file"},
		},
		{
			name: "at the cap",
			setup: func(t *testing.T, site, _ string) {
				if err := os.Truncate(filepath.Join(site, "a.txt"), testMax); err != nil {
					t.Fatal(err)
				}
			},
			file: "a.txt", want: "a" + strings.Repeat("\x00", testMax-1),
		},
		{
			name: "over the cap",
			setup: func(t *testing.T, site, _ string) {
				if err := os.Truncate(filepath.Join(site, "a.txt"), testMax+1); err != nil {
					t.Fatal(err)
				}
			},
			file: "a.txt", err: ErrTooLarge, msg: []string{"1048577 bytes: larger than the 1 MiB a file in ", "is it the right file?"},
		},
		{name: "missing", file: "nothing.txt", err: fs.ErrNotExist},
		{name: "invalid name", file: "../site/a.txt", err: fs.ErrInvalid},
	}
	for _, tt := range tests {
		for _, rootOnly := range []bool{false, true} {
			name := tt.name
			if rootOnly {
				name += " (os.Root)"
			}
			// On systems other than Linux, both are os.Root.
			t.Run(name, func(t *testing.T) { testReadFile(t, tt, rootOnly) })
		}
	}
}

func testReadFile(t *testing.T, tt readCase, rootOnly bool) {
	site := project(t, tt.setup)
	fsys := New(site, Max(testMax))
	fsys.rootOnly = rootOnly
	type result struct {
		data []byte
		err  error
	}
	r := prompt(t, func() result {
		data, err := fsys.ReadFile(tt.file)
		return result{data, err}
	})
	// Open and read: the same answer, but for a folder, which
	// opens to be listed.
	o := prompt(t, func() result {
		f, err := fsys.Open(tt.file)
		if err != nil {
			return result{nil, err}
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return r
		}
		data, err := io.ReadAll(f)
		return result{data, err}
	})
	for _, got := range []struct {
		how string
		result
	}{{"ReadFile", r}, {"Open", o}} {
		if tt.err == nil {
			if got.err != nil || string(got.data) != tt.want {
				t.Fatalf("%s(%q) = %.20q, %v; want %.20q", got.how, tt.file, got.data, got.err, tt.want)
			}
			continue
		}
		if !errors.Is(got.err, tt.err) {
			t.Fatalf("%s(%q) = %.20q, %v; want an error that is %v", got.how, tt.file, got.data, got.err, tt.err)
		}
		var pe *fs.PathError
		if !errors.As(got.err, &pe) || pe.Path != tt.file {
			t.Errorf("%s(%q): %v: want an *fs.PathError with Path %q", got.how, tt.file, got.err, tt.file)
		}
		for _, m := range tt.msg {
			if !strings.Contains(got.err.Error(), m) {
				t.Errorf("%s(%q): %v\nwant it to say %q", got.how, tt.file, got.err, m)
			}
		}
		if strings.Contains(got.err.Error(), "SECRET") {
			t.Errorf("%s(%q): %v\nwant no contents", got.how, tt.file, got.err)
		}
	}
}

// A file that grows past the cap once open fails as it is read.
func TestGrowsPastCap(t *testing.T) {
	site := project(t, nil)
	fsys := New(site, Max(8))
	f, err := fsys.Open("a.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write(t, filepath.Join(site, "a.txt"), "0123456789")
	data, err := io.ReadAll(f)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "grew as it was read") {
		t.Fatalf("read %q, %v: want ErrTooLarge saying it grew", data, err)
	}
}

func TestStat(t *testing.T) {
	site := project(t, func(t *testing.T, site, outside string) {
		symlink(t, "a.txt", filepath.Join(site, "in.txt"))
		symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "out.txt"))
		mkfifo(t, filepath.Join(site, "pipe"))
	})
	fsys := New(site, Max(testMax))
	if info, err := fsys.Stat("in.txt"); err != nil || !info.Mode().IsRegular() || info.Size() != 1 {
		t.Errorf("Stat(in.txt) = %v, %v: want the regular file it links to", info, err)
	}
	if _, err := fsys.Stat("out.txt"); !errors.Is(err, ErrOutside) {
		t.Errorf("Stat(out.txt) = %v: want ErrOutside", err)
	}
	// A pipe is described, not opened.
	var info fs.FileInfo
	err := prompt(t, func() error {
		var err error
		info, err = fsys.Stat("pipe")
		return err
	})
	if err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("Stat(pipe) = %v, %v: want a named pipe", info, err)
	}
}

// A listing shows links out as links: only reading them fails.
func TestReadDir(t *testing.T) {
	site := project(t, func(t *testing.T, site, outside string) {
		symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "out.txt"))
		symlink(t, outside, filepath.Join(site, "ext"))
		mkfifo(t, filepath.Join(site, "pipe"))
	})
	for _, how := range []string{"openat2", "os.Root"} {
		t.Run(how, func(t *testing.T) {
			fsys := New(site, Max(testMax))
			fsys.rootOnly = how == "os.Root"
			testReadDir(t, fsys)
		})
	}
}

func testReadDir(t *testing.T, fsys *FS) {
	entries, err := fsys.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name()+" "+e.Type().String())
	}
	want := []string{"a.txt ----------", "ext L---------", "out.txt L---------", "pipe p---------", "sub d---------"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("ReadDir(.) = %q, want %q", got, want)
	}
	if _, err := fsys.ReadDir("ext"); !errors.Is(err, ErrOutside) {
		t.Errorf("ReadDir(ext) = %v: want ErrOutside", err)
	}
	if _, err := fsys.ReadDir("a.txt"); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("ReadDir(a.txt) = %v: want ENOTDIR", err)
	}
	if err := prompt(t, func() error { _, err := fsys.ReadDir("pipe"); return err }); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("ReadDir(pipe) = %v: want ENOTDIR", err)
	}
}

// The folder itself may be reached through a link, as a data folder
// outside the project is; what is not there is fs.ErrNotExist, as with
// os.DirFS; a folder that is a pipe fails without waiting for a writer.
func TestFolder(t *testing.T) {
	site := project(t, nil)
	alias := filepath.Join(t.TempDir(), "alias")
	symlink(t, site, alias)
	if data, err := New(alias, Max(testMax)).ReadFile("sub/b.txt"); err != nil || string(data) != "b" {
		t.Errorf("ReadFile through a linked folder = %q, %v; want \"b\"", data, err)
	}
	missing := New(filepath.Join(site, "nothing"), Max(testMax))
	if _, err := missing.ReadFile("a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile in a missing folder = %v: want fs.ErrNotExist", err)
	}
	if _, err := missing.Stat("a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat in a missing folder = %v: want fs.ErrNotExist", err)
	}
	pipe := filepath.Join(t.TempDir(), "pipe")
	mkfifo(t, pipe)
	err := prompt(t, func() error { _, err := New(pipe, Max(testMax)).ReadFile("a.txt"); return err })
	if !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("ReadFile in a folder that is a pipe = %v: want ENOTDIR", err)
	}
}

// A folder renamed away and replaced, or deleted and created again, is
// read where its path now leads.
func TestFolderReplaced(t *testing.T) {
	site := project(t, nil)
	fsys := New(site, Max(testMax))
	read := func(want string) {
		t.Helper()
		if data, err := fsys.ReadFile("a.txt"); err != nil || string(data) != want {
			t.Fatalf("ReadFile(a.txt) = %q, %v; want %q", data, err, want)
		}
	}
	read("a")
	if err := os.Rename(site, site+".old"); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.ReadFile("a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile(a.txt) with the folder gone = %v: want fs.ErrNotExist", err)
	}
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(site, "a.txt"), "new")
	read("new")
	if err := os.RemoveAll(site); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(site, "a.txt"), "newer")
	read("newer")
}

// The FS behaves as an fs.FS must, on a tree with a link inside.
func TestFS(t *testing.T) {
	site := project(t, func(t *testing.T, site, _ string) {
		symlink(t, "../a.txt", filepath.Join(site, "sub", "link.txt"))
	})
	if err := fstest.TestFS(New(site, Max(testMax)), "a.txt", "sub/b.txt", "sub/link.txt"); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReadFile compares reading a brief's source with os.DirFS, which
// the build used before.
func BenchmarkReadFile(b *testing.B) {
	dir := b.TempDir()
	name := "briefs/2026-01-27-fed-preview/index.zh.md"
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), make([]byte, 4096), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, fsys := range []struct {
		name string
		fs.FS
	}{{"os.DirFS", os.DirFS(dir)}, {"srcfs", New(dir, Max(testMax))}} {
		b.Run(fsys.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := fs.ReadFile(fsys.FS, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
