package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/render/chart"
)

// legacyMarker is the empty file that marked a set before manifest.json;
// a directory holding it is still accepted as devolve's.
const legacyMarker = ".devolve-out"

// writeSet writes every file of the set, then manifest.json (m, with each
// file's size and hash), into a fresh temporary directory beside dir, then
// swaps it in for dir whole. Readers see the old set or the new one, never
// a mixture; two runs into one dir leave one run's set. Nothing is written
// if ctx is done before the swap. Files and the directory get the modes
// the user's umask gives (0644 and 0755 under the usual 022).
func writeSet(ctx context.Context, dir string, files map[string]chart.FileWriter, m outManifest) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usagef("--out: %v", err)
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if base == "/" || base == "." || abs == parent {
		return usagef("--out: %s cannot be replaced; give a directory of its own", dir)
	}
	if err := replaceable(abs); err != nil {
		return usagef("--out: %s: %v", dir, err)
	}
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return err
	}
	tmp, err := mkdirNew(parent, "."+base+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	names := make([]string, 0, len(files))
	for n := range files {
		if n == manifestName {
			panic("devolve: writeSet: a set may not hold its own " + manifestName)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	m.Files = make([]fileHash, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := writeHashed(filepath.Join(tmp, name), files[name])
		if err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		h.Name = name
		m.Files = append(m.Files, h)
	}
	if _, err := writeHashed(filepath.Join(tmp, manifestName), func(w io.Writer) error { return writeManifest(w, &m) }); err != nil {
		return fmt.Errorf("writing %s: %w", manifestName, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return swapDir(tmp, abs)
}

// writeHashed creates the new file path (mode 0666 less the umask), writes
// it with write and returns its size and SHA-256.
func writeHashed(path string, write chart.FileWriter) (fileHash, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fileHash{}, err
	}
	sum := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, sum)}
	err = write(cw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return fileHash{Bytes: cw.n, SHA256: hex.EncodeToString(sum.Sum(nil))}, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// mkdirNew makes a new directory in parent named prefix plus a random
// suffix, with mode 0777 less the umask (os.MkdirTemp's is always 0700).
func mkdirNew(parent, prefix string) (string, error) {
	for range 100 {
		name := filepath.Join(parent, prefix+rand.Text()[:10])
		err := os.Mkdir(name, 0o777)
		if err == nil || !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", fmt.Errorf("%s: could not make a temporary directory", parent)
}

// createNew creates a new file in dir named prefix plus a random suffix
// plus suffix, with mode 0666 less the umask (os.CreateTemp's is always
// 0600, which kept reports and written scenarios from their readers).
func createNew(dir, prefix, suffix string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+rand.Text()[:10]+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil || !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("%s: could not make a temporary file", dir)
}

// replaceable reports whether dir may be replaced by a new set: it is
// missing, empty, or a set written before (it holds a devolve
// manifest.json, or the legacy marker).
func replaceable(dir string) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errors.New("exists and is not a directory")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := readManifest(dir); err == nil {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(dir, legacyMarker)); err == nil {
		return nil
	}
	return fmt.Errorf("holds files devolve did not write (no %s); give a new or empty directory", manifestName)
}

// swapDir moves the directory tmp to dir. If dir exists it is first moved
// aside and removed once tmp is in place; if another run swaps its own set
// in at the same moment, one of the two whole sets ends up in dir.
func swapDir(tmp, dir string) error {
	var olds []string
	defer func() {
		for _, o := range olds {
			os.RemoveAll(o)
		}
	}()
	for attempt := 0; attempt < 20; attempt++ {
		if err := os.Rename(tmp, dir); err == nil {
			return nil
		}
		// dir exists (or appeared): move it aside, if it is still replaceable.
		if err := replaceable(dir); err != nil {
			return fmt.Errorf("--out: %s: %v", dir, err)
		}
		old, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-*")
		if err != nil {
			return err
		}
		os.Remove(old)
		if err := os.Rename(dir, old); err == nil {
			olds = append(olds, old)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return fmt.Errorf("--out: %s: could not swap in the new set (other runs keep replacing it)", dir)
}

// writeFileAtomic writes a file with write to a temporary file beside
// path, then renames it over path: a failure leaves no partial file. The
// file gets mode 0666 less the umask. It refuses to replace anything but a
// regular file (a device such as /dev/null, a pipe, a directory).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if err := inputfile.CheckWritable(path); err != nil {
		return usagef("%s: %v", path, err)
	}
	f, err := createNew(filepath.Dir(path), "."+filepath.Base(path)+".", ".tmp")
	if err != nil {
		// Name the user's file, not the temporary one.
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("%s: no directory %s to write it in", path, filepath.Dir(path))
		}
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
