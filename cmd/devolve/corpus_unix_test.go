//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestBadInputSpecialFiles: a FIFO, a device and a directory, named
// directly or through extends:, are refused before any read (a FIFO would
// block, /dev/zero never ends).
func TestBadInputSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ file, want string }{
		{fifo, "not a regular file"},
		{zero, "not a regular file"},
		{write("extends_fifo.yaml", "extends: fifo.yaml\nhorizon: 5\n"), "not a regular file"},
		{write("extends_zero.yaml", "extends: zero.yaml\nhorizon: 5\n"), "not a regular file"},
		{write("extends_urandom.yaml", "extends: /dev/urandom\nhorizon: 5\n"), "/dev/urandom is not a scenario file"},
		{write("extends_loop_a.yaml", "extends: extends_loop_b.yaml\nhorizon: 5\n"), "extends"},
	} {
		if filepath.Base(c.file) == "extends_loop_a.yaml" {
			write("extends_loop_b.yaml", "extends: extends_loop_a.yaml\nhorizon: 6\n")
		}
		t.Run(filepath.Base(c.file), func(t *testing.T) { checkBad(t, c.file, c.want) })
	}
}
