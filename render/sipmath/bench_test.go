package sipmath

import (
	"testing"
	"time"
)

func BenchmarkFromRun(b *testing.B) {
	t := &testing.T{}
	_, res := suffolk(t, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := FromRun(Manifest{Created: time.Now()}, res); err != nil {
			b.Fatal(err)
		}
	}
}
