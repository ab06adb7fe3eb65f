// Package runtest runs embedded scenarios for the tests of the output
// packages (workbook, Parquet, SIPmath, charts, report), so each test
// starts from a real run rather than hand-made numbers.
package runtest

import (
	"context"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// Run loads the embedded (or file) scenario name, compiles it and runs it
// with opt, failing the test on any error.
func Run(t testing.TB, name string, opt engine.Options) (*scenarios.Loaded, *lgr.Result) {
	t.Helper()
	ld, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return ld, res
}
