package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/devolve-lgr/devolve/internal/chart"
	"github.com/devolve-lgr/devolve/internal/inputfile"
)

// outMarker marks a directory as a set of devolve outputs: --out replaces
// a directory only if it is empty or holds this marker, never a directory
// of the user's own files.
const outMarker = ".devolve-out"

// writeSet writes every file of the set into a fresh temporary directory
// beside dir, then swaps it in for dir whole. Readers see the old set or
// the new one, never a mixture; two runs into one dir leave one run's set.
// Nothing is written if ctx is done before the swap.
func writeSet(ctx context.Context, dir string, files map[string]chart.FileWriter) error {
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
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range append(names, outMarker) {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		if write := files[name]; write != nil {
			err = write(f)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return swapDir(tmp, abs)
}

// replaceable reports whether dir may be replaced by a new set: it is
// missing, empty, or a set written before (it holds outMarker).
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
	if _, err := os.Lstat(filepath.Join(dir, outMarker)); err == nil {
		return nil
	}
	return fmt.Errorf("holds files devolve did not write (no %s); give a new or empty directory", outMarker)
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

// writeFileAtomic writes data to a temporary file beside path, then renames
// it over path. It refuses to replace anything but a regular file (a
// device such as /dev/null, a pipe, a directory).
func writeFileAtomic(path string, data []byte) error {
	if err := inputfile.CheckWritable(path); err != nil {
		return usagef("%s: %v", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
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
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
