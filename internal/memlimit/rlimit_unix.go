//go:build linux || darwin || freebsd

package memlimit

import "syscall"

// rlimits returns the soft address-space and data limits that are set.
func rlimits() []Limit {
	var out []Limit
	for _, r := range []struct {
		res  int
		name string
	}{{syscall.RLIMIT_AS, "RLIMIT_AS"}, {syscall.RLIMIT_DATA, "RLIMIT_DATA"}} {
		var l syscall.Rlimit
		if err := syscall.Getrlimit(r.res, &l); err == nil && l.Cur > 0 && l.Cur < 1<<62 {
			out = append(out, Limit{int64(l.Cur), r.name})
		}
	}
	return out
}
