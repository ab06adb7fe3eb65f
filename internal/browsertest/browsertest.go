// Package browsertest starts headless Chromium (Debian's chromium package)
// for tests, driven with github.com/chromedp/chromedp. Where chromium is
// missing a test skips with a message saying how to install it, except when
// the environment variable CI is set: there the test fails, so that a CI
// run never passes without the browser tests.
package browsertest

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// candidates are where Chromium is looked for (then "chromium" on $PATH);
// $CHROMIUM, when set, is the only place looked.
var candidates = []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}

// Path returns the Chromium binary, or skips the test (fails it when CI is
// set) if there is none.
func Path(t testing.TB) string {
	t.Helper()
	look := candidates
	if p := os.Getenv("CHROMIUM"); p != "" {
		look = []string{p} // only this one
	}
	for _, p := range look {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil && os.Getenv("CHROMIUM") == "" {
		return p
	}
	candidates = look
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but chromium is missing (looked for %v): .ci/run installs it with apt-get install -y chromium", candidates)
	}
	t.Skipf("SKIP browser test: chromium is not installed (looked for %v); install it with `apt-get install -y chromium` to run this test", candidates)
	return ""
}

// Browser is one headless Chromium tab with its console messages.
type Browser struct {
	Ctx context.Context
	mu  sync.Mutex
	msg []chromedp.ConsoleMessage
}

// New starts Chromium with a fresh profile and opens a tab of the given
// size; everything stops when the test ends (or after timeout).
func New(t testing.TB, width, height int, timeout time.Duration) *Browser {
	t.Helper()
	path := Path(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	b := &Browser{Ctx: bctx}
	msgs := chromedp.Console(bctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.msg = append(b.msg, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// Errors returns the console errors and uncaught exceptions so far.
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.msg {
		if m.Type == "error" || m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// NonBlank reports the share of a PNG's pixels that differ from its
// top-left pixel's colour, and how many distinct colours it has.
func NonBlank(pngData []byte) (share float64, colours int, err error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return 0, 0, err
	}
	bd := img.Bounds()
	ref := img.At(bd.Min.X, bd.Min.Y)
	r0, g0, b0, _ := ref.RGBA()
	seen := map[[3]uint32]bool{}
	diff, n := 0, 0
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if r != r0 || g != g0 || b != b0 {
				diff++
			}
			if len(seen) < 1000 {
				seen[[3]uint32{r, g, b}] = true
			}
			n++
		}
	}
	return float64(diff) / float64(n), len(seen), nil
}
