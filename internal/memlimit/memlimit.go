// Package memlimit finds how much memory this process may use, and so how
// much a run may hold: the tightest of the process's address-space and
// data limits (RLIMIT_AS, RLIMIT_DATA), its cgroup's memory limit
// (memory.max in cgroup v2, memory.limit_in_bytes in v1, this cgroup's and
// its parents'), the Go runtime's soft limit (GOMEMLIMIT) and the
// machine's memory (/proc/meminfo).
package memlimit

import (
	"fmt"
	"math"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// MaxRunBytes caps what one command's runs may hold whatever the limits:
// 8 GB (the machine this project targets has 24 GiB).
const MaxRunBytes = 8e9

// Limit is a limit on this process's memory and where it comes from.
type Limit struct {
	Bytes  int64  // 0: none found
	Source string // e.g. "cgroup memory.max", "RLIMIT_AS", "GOMEMLIMIT", "machine memory"
}

// Find returns the tightest limit on this process's memory; Bytes is 0
// when none is found.
func Find() Limit {
	var best Limit
	take := func(b int64, src string) {
		if b > 0 && (best.Bytes == 0 || b < best.Bytes) {
			best = Limit{b, src}
		}
	}
	for _, l := range rlimits() {
		take(l.Bytes, l.Source)
	}
	take(cgroup())
	if g := debug.SetMemoryLimit(-1); g < math.MaxInt64 {
		take(g, "GOMEMLIMIT")
	}
	take(machine(), "machine memory")
	return best
}

// Budget is what one command's runs may hold: half the tightest limit
// (the rest is the program, the runtime's headroom and the rendering of
// the results), at most MaxRunBytes. why says where it comes from.
func Budget() (bytes int64, why string) {
	l := Find()
	if l.Bytes == 0 || l.Bytes/2 >= MaxRunBytes {
		return MaxRunBytes, fmt.Sprintf("devolve's cap of %.0f GB", MaxRunBytes/1e9)
	}
	return l.Bytes / 2, "half the " + l.Source
}

// cgroup returns the tightest memory limit of this process's cgroup and
// its parents, 0 if none.
func cgroup() (int64, string) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, ""
	}
	var best int64
	var src string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		var root, file string
		switch {
		case f[0] == "0" && f[1] == "": // cgroup v2
			root, file = "/sys/fs/cgroup", "memory.max"
		case strings.Contains(","+f[1]+",", ",memory,"): // cgroup v1
			root, file = "/sys/fs/cgroup/memory", "memory.limit_in_bytes"
		default:
			continue
		}
		for dir := path.Clean("/" + f[2]); ; dir = path.Dir(dir) {
			if v := readLimit(path.Join(root, dir, file)); v > 0 && (best == 0 || v < best) {
				best, src = v, "cgroup "+file
			}
			if dir == "/" {
				break
			}
		}
	}
	return best, src
}

// readLimit reads a cgroup limit file: a byte count, or "max" (none); v1's
// "no limit" is a huge number, treated as none.
func readLimit(name string) int64 {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || v <= 0 || v >= 1<<60 {
		return 0
	}
	return v
}

// machine returns MemTotal from /proc/meminfo, 0 if unknown.
func machine() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	var kb int64
	if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err != nil || kb <= 0 {
		return 0
	}
	return kb * 1024
}
