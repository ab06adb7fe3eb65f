//go:build !linux

package engine

// adviseHuge does nothing outside Linux.
func adviseHuge[F float32 | float64]([]F) {}
