package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every other test runs with no settings files and no DEVOLVE_* variables,
// whatever the machine has: their expected figures are the built-in
// defaults'.
func init() {
	places = func() settingsPlaces { return settingsPlaces{} }
	for _, k := range settingKeys() {
		os.Unsetenv(envName(k))
	}
}

// withPlaces points devolve.yaml's places at work and conf for one test.
func withPlaces(t *testing.T, work, conf string) {
	t.Helper()
	old := places
	places = func() settingsPlaces { return settingsPlaces{work, conf} }
	t.Cleanup(func() { places = old })
}

// configRows runs `devolve config ARGS` and returns each setting's value
// and origin.
func configRows(t *testing.T, args ...string) map[string][2]string {
	t.Helper()
	code, out, stderr := runCLI(t, context.Background(), append([]string{"config"}, args...)...)
	if code != 0 {
		t.Fatalf("config %q: exit %d: %s", args, code, stderr)
	}
	rows := map[string][2]string{}
	for _, line := range strings.Split(out, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 4 || line == "" {
			break
		}
		// setting value from... env
		rows[f[0]] = [2]string{f[1], strings.Join(f[2:len(f)-1], " ")}
	}
	return rows
}

// runSeedIterations runs reference-r as JSON and returns the seed and
// trial count the run recorded.
func runSeedIterations(t *testing.T, args ...string) (uint64, int) {
	t.Helper()
	code, out, stderr := runCLI(t, context.Background(), append([]string{"run", "reference-r", "--format", "json", "--quiet"}, args...)...)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var doc struct {
		Seed       uint64 `json:"seed"`
		Iterations int    `json:"iterations"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Seed, doc.Iterations
}

// TestSettingsPrecedence: for one setting (seed) each layer in turn is
// added on top of the ones below it, and both `devolve config` and what a
// run records agree it wins: built-in default < devolve.yaml in the user
// config directory < devolve.yaml in the working directory < DEVOLVE_SEED
// < --seed. Settings merge key by key: the config directory's iterations
// still apply under a working-directory file that sets only the seed.
func TestSettingsPrecedence(t *testing.T) {
	work, conf := t.TempDir(), t.TempDir()
	withPlaces(t, work, conf)
	workFile, confFile := filepath.Join(work, settingsFile), filepath.Join(conf, settingsFile)
	steps := []struct {
		name   string
		apply  func()
		args   []string
		seed   uint64
		origin string
	}{
		{"default", func() {}, nil, 1, "built-in default"},
		{"config directory", func() { os.WriteFile(confFile, []byte("seed: 2\niterations: 1500\n"), 0o644) }, nil, 2, confFile},
		{"working directory", func() { os.WriteFile(workFile, []byte("seed: 3\n"), 0o644) }, nil, 3, workFile},
		{"environment", func() { t.Setenv("DEVOLVE_SEED", "4") }, nil, 4, "environment DEVOLVE_SEED"},
		{"flag", func() {}, []string{"--seed", "5"}, 5, "flag --seed"},
	}
	for _, s := range steps {
		s.apply()
		rows := configRows(t, s.args...)
		if got := rows["seed"]; got != [2]string{strings.TrimSpace(uintStr(s.seed)), s.origin} {
			t.Errorf("%s: config says seed %q from %q, want %d from %q", s.name, got[0], got[1], s.seed, s.origin)
		}
		runArgs := append([]string{"--iterations", "1000"}, s.args...)
		if seed, _ := runSeedIterations(t, runArgs...); seed != s.seed {
			t.Errorf("%s: run recorded seed %d, want %d", s.name, seed, s.seed)
		}
		if s.name != "default" {
			if _, n := runSeedIterations(t, s.args...); n != 1500 {
				t.Errorf("%s: run recorded %d iterations, want 1500 from %s", s.name, n, confFile)
			}
			if got := rows["iterations"]; got != [2]string{"1500", confFile} {
				t.Errorf("%s: config says iterations %q", s.name, got)
			}
		}
	}
}

func uintStr(u uint64) string {
	b, _ := json.Marshal(u)
	return string(b)
}

// TestSettingsErrors: a devolve.yaml key that is not a setting, a value
// that is a list or a map, a value the flag refuses (from the file and
// from the environment), and a file that is not YAML: each exits 2 naming
// the file (or variable) and the key.
func TestSettingsErrors(t *testing.T) {
	work := t.TempDir()
	withPlaces(t, work, "")
	path := filepath.Join(work, settingsFile)
	cases := []struct {
		file, env, want string
	}{
		{"seed: 1\nitrations: 5000\n", "", path + ": itrations: not a devolve setting (did you mean \"iterations\"?)"},
		{"iterations: [1, 2]\n", "", path + ": iterations: want a single value, not a list"},
		{"seed:\n  value: 3\n", "", path + ": seed: want a single value, not a map"},
		{"iterations: 0\n", "", path + ": iterations: must be between 1"},
		{"sampling: random\n", "", path + `: sampling: invalid value "random"`},
		{"format: pdf\n", "", path + `: format: must be one of`},
		{"seed: [\n", "", path + ": not valid YAML"},
		{"", "many", `DEVOLVE_WORKERS: invalid value "many"`},
	}
	for _, c := range cases {
		os.WriteFile(path, []byte(c.file), 0o644)
		if c.env != "" {
			t.Setenv("DEVOLVE_WORKERS", c.env)
		}
		code, _, stderr := runCLI(t, context.Background(), "run", "reference-r", "--deterministic", "--quiet")
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("devolve.yaml %q, env %q: exit %d, stderr %q; want exit 2 and %q", c.file, c.env, code, stderr, c.want)
		}
	}
}

// TestSettingsDataDir: with data: DIR (or --data DIR) a scenario NAME is
// read from DIR/NAME.yaml; a NAME that is not there is still an embedded
// scenario.
func TestSettingsDataDir(t *testing.T) {
	work, data := t.TempDir(), t.TempDir()
	withPlaces(t, work, "")
	b, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "reference-r.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mine := strings.Replace(string(b), "name:", "name: Mine -", 1)
	os.WriteFile(filepath.Join(data, "mine.yaml"), []byte(mine), 0o644)
	os.WriteFile(filepath.Join(work, settingsFile), []byte("data: "+data+"\n"), 0o644)
	for _, name := range []string{"mine", "reference-r"} {
		code, out, stderr := runCLI(t, context.Background(), "run", name, "--iterations", "1000", "--format", "json", "--quiet")
		if code != 0 {
			t.Fatalf("%s: %s", name, stderr)
		}
		if isMine := strings.Contains(out, `"scenario": "Mine -`); isMine != (name == "mine") {
			t.Errorf("run %s read the wrong scenario:\n%.300s", name, out)
		}
	}
	code, _, stderr := runCLI(t, context.Background(), "run", "mine", "--data", filepath.Join(data, "nowhere"), "--quiet")
	if code != 2 || !strings.Contains(stderr, "--data:") {
		t.Errorf("--data to a missing directory: exit %d, %s", code, stderr)
	}
}
