// Package area generates the scenario for an English two-tier area
// reorganised into unitaries: councils, populations and cost bases from the
// shipped data (data/, provenance in data/README.md), systems, workforce,
// savings and risks from the defaults in build.go, each with its source.
// BuildArea builds the typed scenario (an lgr.Scenario, run as it is), each
// distribution from its spec in the scenario notation; for `devolve area
// --write` it keeps those specs, so scenarios.WriteYAML writes the same
// scenario as an editable file with every default's source as a comment.
// testdata/generated.golden pins every build (TestGeneratedGolden).
package area
