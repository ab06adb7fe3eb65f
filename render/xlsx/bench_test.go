package xlsx

import (
	"io"
	"testing"
)

func BenchmarkWriteRunDraws(b *testing.B) {
	t := &testing.T{}
	rep, res := run(t, "suffolk", 4000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteRun(io.Discard, rep, res, Options{Draws: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteRun(b *testing.B) {
	t := &testing.T{}
	rep, res := run(t, "suffolk", 4000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteRun(io.Discard, rep, res, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
