//go:build !(linux || darwin || freebsd)

package memlimit

// rlimits: none on this system.
func rlimits() []Limit { return nil }
