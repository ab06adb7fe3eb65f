package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServeCommand(t *testing.T) {
	for _, bad := range [][]string{{"--addr", "nonsense"}, {"--trials", "0"}, {"a", "b", "c"}, {"nope.yaml"}} {
		if code, _, stderr := runCLI(t, context.Background(), append([]string{"serve"}, bad...)...); code != exitUsage {
			t.Errorf("serve %v: exit %d, %q", bad, code, stderr)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "suffolk", "--addr", "127.0.0.1:0", "--trials", "2000"}, &out, &errb)
	}()
	url := ""
	for i := 0; i < 200 && url == ""; i++ {
		time.Sleep(50 * time.Millisecond)
		url = regexp.MustCompile(`http://[0-9.:]+/`).FindString(out.String())
	}
	if url == "" {
		cancel()
		t.Fatalf("no address printed: %q %q", out.String(), errb.String())
	}
	resp, err := http.Get(url + "api/run?fix=it_overrun=1.2")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"it_overrun":1.2`) {
		t.Errorf("GET api/run: %d %.200s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		// As any interrupted command (README: 130 on Ctrl-C); it was 0.
		if code != exitInterrupted {
			t.Errorf("serve exited %d after interrupt, want %d: %s", code, exitInterrupted, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after interrupt")
	}
}

// TestServeBeyondLoopback (issue 19): --addr :PORT listens on every
// interface and says so on stderr; a Host other than a loopback name is
// still refused. 127.0.0.1 is quiet.
func TestServeBeyondLoopback(t *testing.T) {
	for _, c := range []struct {
		addr string
		warn bool
	}{{":0", true}, {"127.0.0.1:0", false}, {"localhost:0", false}} {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errb syncBuffer
		done := make(chan int)
		go func() {
			done <- run(ctx, []string{"serve", "reference-r", "--addr", c.addr, "--trials", "500"}, &out, &errb)
		}()
		url := ""
		for i := 0; i < 200 && url == ""; i++ {
			time.Sleep(50 * time.Millisecond)
			url = regexp.MustCompile(`http://\S+/`).FindString(out.String())
		}
		if got := strings.Contains(errb.String(), "warning: --addr"); got != c.warn {
			t.Errorf("--addr %s: warning %v, want %v: %q", c.addr, got, c.warn, errb.String())
		}
		if c.addr == ":0" && url != "" {
			port := url[strings.LastIndex(url, ":")+1 : len(url)-1]
			req, _ := http.NewRequest("GET", "http://127.0.0.1:"+port+"/api/run", nil)
			req.Host = "attacker.example:" + port
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("Host attacker.example: %v %v", resp, err)
			} else {
				resp.Body.Close()
			}
		}
		cancel()
		<-done
	}
}

// TestServeBanner: the banner escapes control characters of a scenario's
// name (issue 19: escape sequences reached the terminal).
func TestServeBanner(t *testing.T) {
	dir := t.TempDir()
	base, err := os.ReadFile("../../scenarios/reference-r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "esc.yaml")
	text := regexp.MustCompile(`(?m)^name: .*$`).ReplaceAllString(string(base), `name: "R \e[2J\e]0;owned\a"`)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", file, "--addr", "127.0.0.1:0", "--trials", "500"}, &out, &errb)
	}()
	for i := 0; i < 200 && !strings.Contains(out.String(), "http://"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if strings.ContainsAny(out.String(), "\x1b\a") || !strings.Contains(out.String(), `\x1b[2J`) {
		t.Errorf("banner %q", out.String())
	}
}
