// Package area generates the scenario for an English two-tier area
// reorganised into unitaries: councils, populations and cost bases from the
// shipped data (data/, provenance in data/README.md), systems, workforce,
// savings and risks from the defaults in build.go, each with its source.
// BuildArea returns the typed scenario (run as it is) and, for
// `devolve area --write`, the same scenario as an editable file with every
// default's source as a comment.
package area
