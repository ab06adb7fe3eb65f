package scenarios

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/lgr"
)

// lookup walks a parsed file (keys lower-cased) along a key path such as
// "systems[0].inventory[2].licence" and reports whether it is set: an
// independent check that compiled inputs name keys the file holds.
func lookup(tree any, path string) bool {
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			m, ok := tree.(map[string]any)
			if !ok {
				return false
			}
			if tree, ok = m[key]; !ok {
				return false
			}
		}
		for rest != "" {
			n, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(n)
			l, ok := tree.([]any)
			if err != nil || !ok || i >= len(l) {
				return false
			}
			tree, rest = l[i], strings.TrimPrefix(after, "[")
		}
	}
	return true
}

// TestInputPathsAsWritten: every input of every shipped scenario carries a
// key path that is set in its file (or names the default it stands for), a
// label with no internal name in it, and a unit.
func TestInputPathsAsWritten(t *testing.T) {
	internal := regexp.MustCompile(`[a-z]+\.[a-z_]+\.[a-z_]+|[a-z]+_[a-z]+_`)
	for _, name := range Embedded() {
		t.Run(name, func(t *testing.T) {
			ld, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := embedded.ReadFile(name + ".yaml")
			m, err := parse(data, "yaml")
			if err != nil {
				t.Fatal(err)
			}
			if base, ok := m["extends"].(string); ok {
				bdata, _ := embedded.ReadFile(embedSource{}.resolve(name+".yaml", base))
				bm, _ := parse(bdata, "yaml")
				m = merge(bm, m)
			}
			tree := lowerKeys(m)
			c, err := lgr.Compile(ld.Scenario)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Inputs) != len(c.Model.Inputs) {
				t.Fatalf("%d inputs described, %d in the model", len(c.Inputs), len(c.Model.Inputs))
			}
			for k, in := range c.Inputs {
				if in.Name != c.Model.Inputs[k].Name {
					t.Errorf("input %d: described as %s, is %s", k, in.Name, c.Model.Inputs[k].Name)
				}
				path := in.Path
				if !in.Default && !lookup(tree, path) {
					t.Errorf("%s: key path %q is not set in the file", in.Name, path)
				}
				if in.Label == "" || internal.MatchString(in.Label) {
					t.Errorf("%s: label %q", in.Name, in.Label)
				}
				if in.Unit == "" && !strings.HasPrefix(path, "quality[") {
					t.Errorf("%s: no unit", in.Name)
				}
				if in.Default && in.Source == "" {
					t.Errorf("%s: a default with no source", in.Name)
				}
			}
		})
	}
}

// TestInputSources: the scenario's notes reach its inputs, and JUDGEMENT
// marks them (suffolk.yaml's comments, read as written).
func TestInputSources(t *testing.T) {
	ld, err := Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := lgr.Compile(ld.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]lgr.InputInfo{}
	for _, in := range c.Inputs {
		byPath[in.Path] = in
	}
	for _, w := range []struct {
		path      string
		judgement bool
		contains  string
	}{
		{"systems[0].licence", true, "Surrey's SAP"},
		{"systems[11].licence", true, "no social care figure"},
		{"democracy.allowance", false, "Dorset, BCP"},
		{"cost_bases[1].amount", true, "no published split"},
		{"cost_bases[3].amount", false, "running expenses outside social care"},
		{"savings[0].cost_to_achieve", true, "Shropshire 2009"},
		{"savings[0].reduction", false, "sources: somerset-2020, leicestershire-2014, surrey-2020"},
		{"savings[2].reduction", true, "half-way"},
		{"it_overrun", false, "Flyvbjerg"},
	} {
		in, ok := byPath[w.path]
		if !ok {
			t.Errorf("no input at %s", w.path)
			continue
		}
		if in.Judgement != w.judgement || !strings.Contains(in.Source, w.contains) {
			t.Errorf("%s: judgement %v, source %q; want judgement %v and a source naming %q", w.path, in.Judgement, in.Source, w.judgement, w.contains)
		}
	}
}
