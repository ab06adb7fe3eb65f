package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"go.yaml.in/yaml/v3"
)

// encodeYAML writes f as YAML: the keys of the file schema (schema.go),
// zero values left out, notes (by key path) as comments on the keys they
// annotate and head as the opening comment.
func encodeYAML(f *fileScenario, notes map[string]string, head []string) []byte {
	g := emitter{notes: notes}
	root := g.node("", reflect.ValueOf(f).Elem(), 0)
	root.HeadComment = strings.Join(head, "\n")
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		panic(fmt.Sprintf("scenarios: encoding a scenario: %v", err)) // a programmer's error
	}
	enc.Close()
	return b.Bytes()
}

// flowLists are the sections whose entries are written one per line.
var flowLists = map[string]bool{"predecessors": true, "systems": true, "items": true, "cost_bases": true, "risks": true}

// emitter writes a file value as YAML nodes, notes by key path as comments.
type emitter struct{ notes map[string]string }

// node converts v (a schema value) to a YAML node, leaving out zero values;
// path is its key path, for the notes.
func (g emitter) node(path string, v reflect.Value, depth int) *yaml.Node {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return g.node(path, v.Elem(), depth)
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		if flowStructs[v.Type().Name()] {
			n.Style = yaml.FlowStyle
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			key := t.Field(i).Tag.Get("key")
			if key == "" || v.Field(i).IsZero() {
				continue
			}
			p := fielderr.Join(path, key)
			c := g.node(p, v.Field(i), depth+1)
			if c == nil {
				continue
			}
			kn := scalar(key)
			if txt, ok := g.notes[p]; ok {
				comment(kn, c, txt)
			}
			n.Content = append(n.Content, kn, c)
		}
		return n
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return specOrder(keys[a].String()) < specOrder(keys[b].String()) })
		for _, k := range keys {
			c := g.node(fielderr.Join(path, k.String()), v.MapIndex(k), depth+1)
			n.Content = append(n.Content, scalar(k.String()), orNull(c))
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		if v.Type().Elem().Kind() != reflect.Struct || flowLists[path] {
			n.Style = yaml.FlowStyle
		}
		for i := 0; i < v.Len(); i++ {
			p := fmt.Sprintf("%s[%d]", path, i)
			c := orNull(g.node(p, v.Index(i), depth+1))
			if v.Type().Elem().Kind() == reflect.Struct && flowLists[path] {
				c.Style = yaml.FlowStyle
			}
			if txt, ok := g.notes[p]; ok {
				comment(c, c, txt)
			}
			n.Content = append(n.Content, c)
		}
		if flowLists[path] {
			n.Style = 0
		}
		return n
	case reflect.String:
		return scalar(v.String())
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatBool(v.Bool())}
	case reflect.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatInt(v.Int(), 10)}
	case reflect.Float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(v.Float(), 'f', -1, 64)}
	}
	panic(fmt.Sprintf("scenarios: cannot write %s at %s", v.Kind(), path))
}

// orNull is n, or a null for a nil value inside a list or map (a
// truncation's open bound).
func orNull(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return n
}

// flowStructs are schema types written on one line.
var flowStructs = map[string]bool{"fileRamp": true}

// comment attaches a note: after a value on one line, else above its key
// (or above a list entry).
func comment(key, val *yaml.Node, txt string) {
	if val.Kind == yaml.ScalarNode || val.Style == yaml.FlowStyle {
		val.LineComment = txt
		return
	}
	key.HeadComment = txt
}

// scalar is a string node, quoted only where YAML needs it.
func scalar(s string) *yaml.Node {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// specOrder puts a distribution's keys in their usual order.
func specOrder(k string) string {
	for i, o := range []string{"dist", "min", "mode", "max", "mean", "sd", "county", "district", "unitary"} {
		if k == o {
			return fmt.Sprintf("%02d", i)
		}
	}
	return "99" + k
}
