package output

import (
	"bytes"
	"testing"
)

// A Memo reuses a file only for the same path and key, keeps what a render
// made or reused for the next one, and drops the rest; a failed render
// (no Commit) leaves the memo of the last good one.
func TestMemo(t *testing.T) {
	k1, k2 := Key{1}, Key{2}
	var m Memo
	m.Begin()
	buf := []byte("page a")
	if err := m.Put("a.html", k1, buf); err != nil {
		t.Fatal(err)
	}
	copy(buf, "XXXXXX") // the caller reuses its buffer
	m.Put("b.html", k1, []byte("page b"))
	m.Keep(k2, "prepared")
	m.Commit()

	m.Begin()
	if m.Reuse("a.html", k2) || m.Reuse("c.html", k1) {
		t.Error("reused a file made from other inputs, or never made")
	}
	if !m.Reuse("a.html", k1) {
		t.Fatal("a.html not reused")
	}
	if v, ok := m.Kept(k2); !ok || v != "prepared" {
		t.Errorf("Kept = %v, %v", v, ok)
	}
	if got := m.Files(); len(got) != 1 || !bytes.Equal(got["a.html"], []byte("page a")) {
		t.Errorf("files of the second render: %q", got)
	}
	m.Commit()

	m.Begin() // fails: no Commit
	m.Put("a.html", k2, []byte("new a"))
	m.Begin()
	if m.Reuse("b.html", k1) {
		t.Error("b.html, left out of the last good render, is still there")
	}
	if !m.Reuse("a.html", k1) {
		t.Error("a failed render replaced the last good one")
	}
	if _, ok := m.Kept(k2); !ok {
		t.Error("what the last good render kept is gone")
	}
}

func TestMemory(t *testing.T) {
	var m Memory
	buf := []byte("x")
	m.Put("a", Key{}, buf)
	buf[0] = 'y'
	if m.Reuse("a", Key{}) || string(m.Files()["a"]) != "x" {
		t.Errorf("Memory: %q", m.Files())
	}
	m.Keep(Key{1}, 1)
	if _, ok := m.Kept(Key{1}); ok {
		t.Error("a Memory keeps nothing between renders")
	}
}
