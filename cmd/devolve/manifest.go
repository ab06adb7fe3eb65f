package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// manifestName is the file, written last into every --out set, that says
// which run wrote the set and which files it wrote. Data files (CSV above
// all) carry no comment lines: their identity is here, beside them.
const manifestName = "manifest.json"

// manifestFormat is the version of manifest.json's layout.
const manifestFormat = 1

// outManifest is the content of manifest.json: the run's identity (seed,
// trials, scenario hashes, devolve's version, the command line) and every
// file devolve wrote in the set, with its size and SHA-256, so that a later
// --out can tell devolve's files from the user's.
type outManifest struct {
	Format     int        `json:"devolve_manifest"`
	Command    string     `json:"command"`
	Args       []string   `json:"args"`
	Version    string     `json:"version"`
	Seed       uint64     `json:"seed"`
	Iterations int        `json:"iterations,omitempty"`
	Scenarios  []scenID   `json:"scenarios"`
	Files      []fileHash `json:"files"`
}

// scenID identifies one scenario of a run: its name, the file or embedded
// name it was read from, and the SHA-256 of its bytes.
type scenID struct {
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// fileHash is one written file: its name within the set, its size in
// bytes and the SHA-256 of its content.
type fileHash struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// argsKey carries the command line (after "devolve") in a context, for the
// manifest.
type argsKey struct{}

// withArgs records the command line in ctx.
func withArgs(ctx context.Context, args []string) context.Context {
	return context.WithValue(ctx, argsKey{}, slices.Clone(args))
}

// newManifest starts the manifest of a set written by command under ctx.
func newManifest(ctx context.Context, command string, seed uint64, iterations int, scens ...scenID) outManifest {
	args, _ := ctx.Value(argsKey{}).([]string)
	if args == nil {
		args = []string{}
	}
	if scens == nil {
		scens = []scenID{}
	}
	return outManifest{Format: manifestFormat, Command: command, Args: args, Version: version,
		Seed: seed, Iterations: iterations, Scenarios: scens}
}

// writeManifest writes m as indented JSON.
func writeManifest(w io.Writer, m *outManifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// readManifest reads dir/manifest.json, or returns an error when it is
// missing or is not a devolve manifest.
func readManifest(dir string) (*outManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	var m outManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", manifestName, err)
	}
	if m.Format < 1 {
		return nil, errors.New(manifestName + ": not a devolve manifest (no devolve_manifest)")
	}
	return &m, nil
}
