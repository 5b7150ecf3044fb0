// Package output is where a render puts the files of a site: kept in
// memory (Memory), written out as they come (a caller's Output over a
// staging folder), or kept for the next render (Memo), which then reuses
// what it made from unchanged inputs instead of making it again.
package output

import "sync"

// Key identifies the inputs something was made from: a SHA-256 digest.
type Key = [32]byte

// Output receives the files of a render, from several goroutines at once.
type Output interface {
	// Put stores the file at path, made from the inputs k (the zero Key
	// when not known). It must not keep data once it returns: the caller
	// reuses the buffer.
	Put(path string, k Key, data []byte) error
	// Reuse stores at path the file an earlier render made from the
	// inputs k, if the output has it, and reports whether it did. A
	// content-addressed path (a chart image) identifies its inputs alone.
	Reuse(path string, k Key) bool
	// Keep holds v, made from the inputs k, for a later render, and Kept
	// returns what an earlier render kept under k: work besides files,
	// such as prepared briefs. An output that keeps nothing between
	// renders ignores Keep.
	Keep(k Key, v any)
	Kept(k Key) (any, bool)
}

// Memory keeps the files of one render in memory. The zero Memory is
// ready.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// Put stores a copy of data.
func (m *Memory) Put(path string, _ Key, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[path] = clone(data)
	return nil
}

// Reuse reports false: a Memory has nothing of earlier renders.
func (m *Memory) Reuse(string, Key) bool { return false }

// Keep does nothing.
func (m *Memory) Keep(Key, any) {}

// Kept reports nothing.
func (m *Memory) Kept(Key) (any, bool) { return nil, false }

// Files returns the files put, path -> contents.
func (m *Memory) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}

// Memo keeps what a render made for the next one: the files, each with the
// key of its inputs, and what the render kept. What a render neither made
// nor reused is dropped, so the memo holds one site. Renders must not run
// concurrently on one Memo; the zero Memo is ready.
type Memo struct {
	files map[string]file
	kept  map[Key]any

	mu        sync.Mutex
	nextFiles map[string]file
	nextKept  map[Key]any
	out       map[string][]byte // the files of this render
}

type file struct {
	key  Key
	data []byte
}

// Begin starts a render.
func (m *Memo) Begin() {
	n := len(m.files) + 16
	m.nextFiles = make(map[string]file, n)
	m.nextKept = make(map[Key]any, len(m.kept))
	m.out = make(map[string][]byte, n)
}

// Commit makes what this render made or reused the memo of the next one.
// Without it (the render failed), the next render starts from the memo of
// the last one that succeeded.
func (m *Memo) Commit() {
	m.files, m.kept = m.nextFiles, m.nextKept
	m.nextFiles, m.nextKept = nil, nil
}

// Files returns the files of the render, path -> contents.
func (m *Memo) Files() map[string][]byte { return m.out }

// Put stores a copy of data, made from the inputs k.
func (m *Memo) Put(path string, k Key, data []byte) error {
	m.put(path, file{k, clone(data)})
	return nil
}

func (m *Memo) put(path string, f file) {
	m.mu.Lock()
	m.nextFiles[path] = f
	m.out[path] = f.data
	m.mu.Unlock()
}

// Reuse stores at path what the last render made there from the inputs k.
func (m *Memo) Reuse(path string, k Key) bool {
	f, ok := m.files[path]
	if !ok || f.key != k {
		return false
	}
	m.put(path, f)
	return true
}

// Keep holds v for the next render.
func (m *Memo) Keep(k Key, v any) {
	m.mu.Lock()
	m.nextKept[k] = v
	m.mu.Unlock()
}

// Kept returns what the last render kept under k, and keeps it for the
// next one.
func (m *Memo) Kept(k Key) (any, bool) {
	v, ok := m.kept[k]
	if ok {
		m.Keep(k, v)
	}
	return v, ok
}

// Size is about how many files the last render made.
func (m *Memo) Size() int { return len(m.files) }

func clone(data []byte) []byte {
	if data == nil {
		return []byte{}
	}
	return append([]byte(nil), data...)
}
