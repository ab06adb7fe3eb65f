// Package inputfile reads user-named input files safely: regular files
// only (never a device such as /dev/zero, a FIFO or a socket, which would
// block or never end), and never more than a stated number of bytes.
package inputfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"
)

// ErrNotExist is returned (wrapped) for a missing file.
var ErrNotExist = errors.New("no such file")

// bom is the UTF-8 byte-order mark some editors (and spreadsheets saving
// "CSV UTF-8") put at the start of a text file.
const bom = "\xef\xbb\xbf"

// Read returns the contents of the regular file at path, without a leading
// UTF-8 byte-order mark, or an error when it is missing, not a regular
// file, or larger than limit bytes. The size is checked before reading and
// again while reading: a file that yields more bytes than its size said (it
// grew, or it is a kernel file such as /proc/self/environ, whose size reads
// as 0) is refused.
func Read(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotExist
		}
		return nil, err
	}
	if err := regular(st, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have been replaced between Stat and Open.
	st2, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := regular(st2, limit); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than %d bytes", limit)
	}
	if int64(len(data)) > st2.Size() {
		return nil, fmt.Errorf("is not an ordinary file: it gave more bytes (%d) than its size (%d), as a file that is being written or a kernel file under /proc does", len(data), st2.Size())
	}
	return bytes.TrimPrefix(data, []byte(bom)), nil
}

func regular(st fs.FileInfo, limit int64) error {
	switch {
	case st.IsDir():
		return errors.New("is a directory, not a file")
	case !st.Mode().IsRegular():
		return fmt.Errorf("is not a regular file (%s); only ordinary files are read", describeMode(st.Mode()))
	case st.Size() > limit:
		return fmt.Errorf("file is %d bytes; the limit is %d bytes", st.Size(), limit)
	}
	return nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// CheckWritable returns an error when path exists and is not a regular file
// (a device, pipe, socket or directory), so that writing a new file over it
// by renaming would replace something that is not ours to replace. A
// missing path is fine.
func CheckWritable(path string) error {
	st, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if st.IsDir() {
		return errors.New("is a directory; give a file name")
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("exists and is not a regular file (%s); refusing to replace it", describeMode(st.Mode()))
	}
	return nil
}

// excerptBytes is the most of a line of a user's file that a message
// quotes.
const excerptBytes = 80

// Excerpt returns at most the first 80 bytes of line (cut at a character
// boundary, with "..." if cut): what a message may quote of a line of a
// file it could not read, never more.
func Excerpt(line string) string {
	if len(line) <= excerptBytes {
		return line
	}
	cut := excerptBytes
	for cut > 0 && !utf8.RuneStart(line[cut]) {
		cut--
	}
	return line[:cut] + "..."
}
