package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestMain runs the tests, then removes what they shared (sharedReport).
func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range sharedDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

var (
	// sharedDirs are the directories of outputs shared between tests,
	// removed by TestMain.
	sharedDirs []string
	reportOnce sync.Once
	reportPath string
	reportErr  error
)

// sharedReport is the HTML report `devolve report suffolk suffolk-two
// --iterations 4096` writes, made once per test process and read by every
// test that only looks at such a report (TestReportInBrowser draws it in
// Chromium; TestPlainWords reads its visible text): one run, not one each.
func sharedReport(t *testing.T) string {
	t.Helper()
	reportOnce.Do(func() {
		dir, err := os.MkdirTemp("", "devolve-report-")
		if err != nil {
			reportErr = err
			return
		}
		sharedDirs = append(sharedDirs, dir)
		reportPath = filepath.Join(dir, "report.html")
		var out, errb bytes.Buffer
		args := []string{"report", "suffolk", "suffolk-two", "--iterations", "4096", "--out", reportPath}
		if code := run(context.Background(), args, &out, &errb); code != exitOK {
			reportErr = fmt.Errorf("devolve %v: exit %d: %s", args, code, errb.String())
		}
	})
	if reportErr != nil {
		t.Fatal(reportErr)
	}
	return reportPath
}
