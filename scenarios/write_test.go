package scenarios

import (
	"context"
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/internal/golden"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// TestWriteYAMLReadsBack: every shipped scenario, and
// testdata/every_field.yaml (every key of the file schema a typed scenario
// keeps, in every family of distribution), written by WriteYAML with the specs its own file gave, reads back (Load)
// as the same typed scenario, field by field and bit for bit (notes aside:
// comments). Generated areas are checked the same way in package area.
func TestWriteYAMLReadsBack(t *testing.T) {
	for _, name := range append(Embedded(), "testdata/every_field") {
		ld, err := Load(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var src source = embedSource{}
		if strings.HasPrefix(name, "testdata/") {
			src = diskSource{}
		}
		m, _, err := readChain(context.Background(), src, name+".yaml", sha256.New(), 0)
		if err != nil {
			t.Fatal(err)
		}
		var f fileScenario
		(&decoder{}).decode("", m, reflect.ValueOf(&f).Elem())
		w := Written{Specs: map[string]any{}, PerKind: map[int]map[string]int{}}
		specsOf(w.Specs, "", reflect.ValueOf(f))
		for i, sy := range f.Systems {
			if len(sy.PerKind) > 0 {
				w.PerKind[i] = sy.PerKind
			}
		}
		out, err := WriteYAML(ld.Scenario, w)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		back, err := LoadBytes(out, "yaml", name)
		if err != nil {
			t.Errorf("%s: the written file does not load: %v", name, err)
			continue
		}
		if d := golden.FirstDiff(dump(ld.Scenario), dump(back.Scenario)); d != "" {
			t.Errorf("%s: written and read back differ: %s", name, d)
		}
	}
}

// TestWriteYAMLNeedsSpecs: a distribution without a written form is an
// error naming its key path, not a file that leaves it out.
func TestWriteYAMLNeedsSpecs(t *testing.T) {
	ld, err := Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	_, err = WriteYAML(ld.Scenario, Written{})
	if err == nil || !strings.Contains(err.Error(), "predecessors[0].net_expenditure: no written form") {
		t.Errorf("got %v", err)
	}
}

// specsOf collects every distribution spec (a non-nil field of type any)
// of the file value v by its key path.
func specsOf(specs map[string]any, path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			specsOf(specs, path, v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			key := v.Type().Field(i).Tag.Get("key")
			p := key
			if path != "" {
				p = path + "." + key
			}
			specsOf(specs, p, v.Field(i))
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			specsOf(specs, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.Interface {
			for _, k := range v.MapKeys() {
				specs[path+"."+k.String()] = v.MapIndex(k).Interface()
			}
		}
	case reflect.Interface:
		if !v.IsNil() {
			specs[path] = v.Interface()
		}
	}
}

// dump is s's canonical dump, notes aside.
func dump(s *lgr.Scenario) []string {
	c := *s
	c.Notes = nil
	return golden.Dump(c, "lazyInverse")
}
