package memlimit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text string
		want int64
	}{{"max\n", 0}, {"1073741824\n", 1 << 30}, {"9223372036854771712\n", 0}, {"", 0}, {"-1", 0}} {
		f := filepath.Join(dir, "memory.max")
		os.WriteFile(f, []byte(c.text), 0o644)
		if got := readLimit(f); got != c.want {
			t.Errorf("readLimit(%q) = %d, want %d", c.text, got, c.want)
		}
	}
	if got := readLimit(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("missing file: %d", got)
	}
}

// TestGOMEMLIMIT: a soft limit below every other is the one found, and the
// budget is half of it.
func TestGOMEMLIMIT(t *testing.T) {
	old := debug.SetMemoryLimit(64 << 20)
	defer debug.SetMemoryLimit(old)
	if l := Find(); l.Bytes != 64<<20 || l.Source != "GOMEMLIMIT" {
		t.Errorf("Find() = %+v, want 64 MiB from GOMEMLIMIT", l)
	}
	if b, why := Budget(); b != 32<<20 || why != "half the GOMEMLIMIT" {
		t.Errorf("Budget() = %d, %q", b, why)
	}
}

// TestRLIMIT: the test binary, re-run under `ulimit -v` (the shell sets
// RLIMIT_AS), finds that limit.
func TestRLIMIT(t *testing.T) {
	if os.Getenv("MEMLIMIT_HELPER") == "1" {
		l := Find()
		fmt.Printf("%d %s\n", l.Bytes, l.Source)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v sets RLIMIT_AS on Linux")
	}
	const kb = 6 << 20 // 6 GiB, in kB
	cmd := exec.Command("sh", "-c", fmt.Sprintf("ulimit -v %d && exec \"$0\" -test.run '^TestRLIMIT$'", kb), os.Args[0])
	cmd.Env = append(os.Environ(), "MEMLIMIT_HELPER=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := fmt.Sprintf("%d RLIMIT_AS", int64(kb)<<10); !strings.HasPrefix(string(out), want) && machine() > int64(kb)<<10 {
		t.Errorf("under ulimit -v %d: %q, want %q", kb, out, want)
	}
}
