// Package report renders results as tables (go-pretty), Markdown, CSV and
// JSON. It computes nothing: every number comes from the model packages.
// JSON writes non-finite numbers (a payback that never happens, an undefined
// ratio) as null.
package report
