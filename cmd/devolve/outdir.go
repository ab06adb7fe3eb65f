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
	"slices"
	"sort"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/render/chart"
)

// legacyMarker is the empty file that marked a set before manifest.json.
// Anyone can create it, and it lists nothing, so a directory holding it is
// no longer replaced (it was: a forged marker lost every file in it).
const legacyMarker = ".devolve-out"

// writeSet writes every file of the set, then manifest.json (m, with each
// file's size and hash), into dir. Nothing is written if ctx is done before
// the files are put in place. Files and directories get the modes the
// user's umask gives (0644 and 0755 under the usual 022).
//
// A new dir is written whole in a temporary directory beside it and
// renamed into place. An existing dir is never removed or renamed (it may
// be the shell's working directory): devolve replaces in it only the files
// its manifest lists, each only if unchanged since (same SHA-256), and
// refuses (exit 2) to overwrite any other file; files the user added stay.
// A non-empty directory without a manifest is refused.
// The update holds an exclusive lock on dir, so two runs into one dir leave
// one run's whole set.
func writeSet(ctx context.Context, dir string, files map[string]chart.FileWriter, m outManifest) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usagef("--out: %v", err)
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if base == "/" || abs == parent {
		return usagef("--out: %s cannot be replaced; give a directory of its own", dir)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if n == manifestName || n != filepath.Base(n) {
			panic("devolve: writeSet: a set's files are plain names other than " + manifestName + " (got " + n + ")")
		}
		names = append(names, n)
	}
	sort.Strings(names)
	if _, err := os.Lstat(abs); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(parent, 0o777); err != nil {
			return err
		}
		tmp, err := mkdirNew(parent, "."+base+".new-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp) // a no-op once renamed
		if err := writeFiles(ctx, tmp, names, files, &m); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := os.Rename(tmp, abs); err == nil {
			return nil
		}
		// dir appeared meanwhile: update it as any existing set.
	}
	return updateSet(ctx, dir, abs, names, files, &m)
}

// writeFiles writes the named files and then the manifest into dir (which
// holds none of them), filling m.Files.
func writeFiles(ctx context.Context, dir string, names []string, files map[string]chart.FileWriter, m *outManifest) error {
	m.Files = make([]fileHash, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := writeHashed(filepath.Join(dir, name), files[name])
		if err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		h.Name = name
		m.Files = append(m.Files, h)
	}
	if _, err := writeHashed(filepath.Join(dir, manifestName), func(w io.Writer) error { return writeManifest(w, m) }); err != nil {
		return fmt.Errorf("writing %s: %w", manifestName, err)
	}
	return nil
}

// updateSet replaces the set in the existing directory abs (named dir by
// the user): see writeSet.
func updateSet(ctx context.Context, dir, abs string, names []string, files map[string]chart.FileWriter, m *outManifest) error {
	st, err := os.Lstat(abs)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return usagef("--out: %s exists and is not a directory", dir)
	}
	unlock, err := lockDir(abs)
	if err != nil {
		return fmt.Errorf("--out: %s: %w", dir, err)
	}
	defer unlock()
	old, err := ownFiles(abs)
	if err != nil {
		return usagef("--out: %s: %v", dir, err)
	}
	for _, name := range append(slices.Clone(names), manifestName) {
		if _, err := os.Lstat(filepath.Join(abs, name)); err == nil && !old[name] && name != manifestName {
			return usagef("--out: %s holds %s, which devolve did not write (it is not in %s): move it, or give a new or empty directory", dir, name, manifestName)
		}
	}
	// Write the new set into a temporary directory inside dir (same file
	// system), then move each file into place and the manifest last.
	tmp, err := mkdirNew(abs, ".devolve-new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(ctx, tmp, names, files, m); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, name := range append(slices.Clone(names), manifestName) {
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(abs, name)); err != nil {
			return err
		}
		delete(old, name)
	}
	// Remove what the old set had and the new one has not.
	for name := range old {
		if err := os.Remove(filepath.Join(abs, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// ownFiles returns the files of the existing directory dir that devolve
// wrote and may replace: those its manifest.json lists (and the manifest
// itself) that are unchanged since (same SHA-256); an error names one the
// user has changed, a manifest that is not devolve's, or a legacy set
// whose files no manifest lists. An empty directory has none.
func ownFiles(dir string) (map[string]bool, error) {
	own := map[string]bool{}
	m, err := readManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		entries, rerr := os.ReadDir(dir)
		if rerr != nil {
			return nil, rerr
		}
		if len(entries) == 0 {
			return own, nil
		}
		// A directory of the user's, or a set from before manifests
		// (legacyMarker), whose files no manifest lists: nothing in it is
		// known to be devolve's, and a set is not mixed into it.
		if _, err := os.Lstat(filepath.Join(dir, legacyMarker)); err == nil {
			return nil, fmt.Errorf("holds a set from an older devolve (%s, no %s), whose files cannot be told from yours: remove it, or give a new or empty directory", legacyMarker, manifestName)
		}
		return nil, fmt.Errorf("holds files devolve did not write (no %s); give a new or empty directory", manifestName)
	}
	if err != nil {
		return nil, fmt.Errorf("holds files devolve did not write (%v); give a new or empty directory", err)
	}
	for _, f := range m.Files {
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." || f.Name == manifestName {
			return nil, fmt.Errorf("%s lists %q, which is not a file devolve writes", manifestName, f.Name)
		}
		h, err := hashFile(filepath.Join(dir, f.Name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if h != f.SHA256 {
			return nil, fmt.Errorf("%s was changed since devolve wrote it (its SHA-256 differs from %s's): move it, or give a new or empty directory", f.Name, manifestName)
		}
		own[f.Name] = true
	}
	own[manifestName] = true
	return own, nil
}

// hashFile returns the hex SHA-256 of the regular file at path.
func hashFile(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
