package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/scenarios"
)

var (
	fuzzOnce   sync.Once
	fuzzServer *Server
	fuzzErr    error
)

// FuzzServeQuery: any query string on /api/run and / (and any Host and
// Origin) is answered with 200, 400, 403, 404, 405, 421 or 429: never a
// panic, a 500 or a dropped connection (issue 19: fix=other_overrun=1e308
// panicked). Reruns are of reference model R at 256 trials.
func FuzzServeQuery(f *testing.F) {
	for _, s := range []string{
		"fix=it_overrun=1.2", "fix=other_overrun=1e308", "fix=it_overrun=-2", "fix=savings_realisation=NaN",
		"fix=it_overrun=1.2&fix=it_overrun=1.3", "fix==", "fix=%00=1", "fix=x$(touch%20f)y=1", "fix=it_overrun=0x1p-1074",
		"fix=" + strings.Repeat("a", 2000) + "=1", "fix=it_overrun=1e-320", "fix=ramp_stretch=1e16", "a=b&&&fix",
	} {
		f.Add(s, "127.0.0.1:8080", "")
	}
	f.Add("", "evil.example", "http://evil.example")
	f.Fuzz(func(t *testing.T, query, host, origin string) {
		fuzzOnce.Do(func() {
			ld, err := scenarios.Load("reference-r")
			if err != nil {
				fuzzErr = err
				return
			}
			c, err := ld.Compile()
			if err != nil {
				fuzzErr = err
				return
			}
			fuzzServer, fuzzErr = New(htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, Compiled: c}, Options{Run: engine.Options{Seed: 1, Iterations: 256, Workers: 1}})
		})
		if fuzzErr != nil {
			t.Fatal(fuzzErr)
		}
		for _, path := range []string{"/api/run", "/"} {
			r, err := http.NewRequest("GET", "http://127.0.0.1:8080"+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.URL.RawQuery = query
			r.Host = host
			r.RemoteAddr = "127.0.0.1:1"
			if origin != "" {
				r.Header.Set("Origin", origin)
			}
			w := httptest.NewRecorder()
			fuzzServer.ServeHTTP(w, r)
			switch w.Code {
			case 200, 400, 403, 404, 405, 421, 429:
			default:
				t.Errorf("%s?%s (Host %q, Origin %q): %d %.300s", path, query, host, origin, w.Code, w.Body.String())
			}
		}
	})
}
