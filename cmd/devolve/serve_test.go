package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
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
	for _, bad := range [][]string{{"--addr", "nonsense"}, {"--trials", "0"}, {"a", "b"}, {"nope.yaml"}} {
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
		if code != exitOK {
			t.Errorf("serve exited %d after interrupt: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after interrupt")
	}
}
