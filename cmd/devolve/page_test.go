package main

import (
	"testing"

	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/scenarios"
)

// pageScenario loads and compiles scenario name (a shipped name or a
// file) as the report and the what-if page take it.
func pageScenario(t *testing.T, name string) htmlreport.Scenario {
	t.Helper()
	ld, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, SHA256: ld.SHA256, Compiled: c}
}
