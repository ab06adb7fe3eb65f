// Package fielderr holds the one error type that names where in a user's
// input a problem lies: FieldError{Path, Err}. The scenario decoder, the
// converter, notation.FromSpec and lgr.Validate all return it (joined with
// errors.Join when there are several), so that callers read paths with
// errors.As and re-root them (Under), never by splitting error strings.
package fielderr

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is a problem at one key path of the user's input, e.g.
// Path "systems[3].licence.p95", Err "must be greater than p5". An empty
// Path means the input as a whole.
type FieldError struct {
	Path string
	Err  error
}

// Error formats the error as "path: problem" (or "problem" for an empty path).
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *FieldError) Unwrap() error { return e.Err }

// New returns a FieldError at path with a formatted message.
func New(path, format string, a ...any) error {
	return &FieldError{Path: path, Err: fmt.Errorf(format, a...)}
}

// Wrap returns err as a FieldError at path; nil stays nil. Errors that
// already carry paths (one FieldError, or several joined) are re-rooted
// under path instead, see Under.
func Wrap(path string, err error) error {
	if err == nil {
		return nil
	}
	return Under(path, err)
}

// Join joins the paths: Join("a", "b") = "a.b", Join("a", "[2]") = "a[2]",
// Join("", "b") = "b".
func Join(parent, child string) string {
	switch {
	case parent == "":
		return child
	case child == "":
		return parent
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// Under re-roots every error in err (a FieldError, a joined list, or a
// plain error) below parent: a FieldError's path becomes Join(parent, Path),
// a plain error becomes a FieldError at parent.
func Under(parent string, err error) error {
	if err == nil {
		return nil
	}
	list := Flatten(err)
	out := make([]error, len(list))
	for i, e := range list {
		var fe *FieldError
		if errors.As(e, &fe) && fe == e {
			out[i] = &FieldError{Path: Join(parent, fe.Path), Err: fe.Err}
		} else {
			out[i] = &FieldError{Path: parent, Err: e}
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// Flatten returns the leaves of a tree of joined errors (errors.Join), in
// order; a single error is returned as a list of one.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// PathOf returns the key path of err if it is (or wraps) a FieldError.
func PathOf(err error) (string, bool) {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Path, true
	}
	return "", false
}

// Covers reports whether path lies at or below parent ("a.b" and "a[1]"
// are below "a"; "ab" is not).
func Covers(parent, path string) bool {
	if parent == path {
		return true
	}
	if !strings.HasPrefix(path, parent) {
		return false
	}
	c := path[len(parent)]
	return c == '.' || c == '['
}

// FileError is a problem in one input file (or flag, or embedded scenario):
// "file: problem".
type FileError struct {
	File string
	Err  error
}

// Error formats the error as "file: problem".
func (e *FileError) Error() string { return e.File + ": " + e.Err.Error() }

// Unwrap returns the underlying problem.
func (e *FileError) Unwrap() error { return e.Err }

// InFile labels every error in err (see Flatten) with the file, returning
// them joined; nil stays nil.
func InFile(file string, err error) error {
	if err == nil {
		return nil
	}
	list := Flatten(err)
	out := make([]error, len(list))
	for i, e := range list {
		out[i] = &FileError{File: file, Err: e}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}
