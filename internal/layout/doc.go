// Package layout holds no code: its test reads the module's import graph
// (`go list -json ./...`) and fails when a package imports one from a
// higher layer of the pipeline (docs/ARCHITECTURE.md), when a package is
// missing from the layer table, or when non-test code imports a test kit.
package layout
