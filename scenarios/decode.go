package scenarios

import (
	"fmt"
	"github.com/devolve-lgr/devolve/internal/inputfile"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/notation"
)

// decoder copies a generic tree (maps, lists, scalars, as parse returns it)
// into a struct tagged with `key:"..."`, strictly, collecting every error
// with its key path.
type decoder struct {
	errs []error
	// root is the type decoded at the top level; homes, built from it on
	// the first unknown key, says where each of its keys belongs.
	root  reflect.Type
	homes map[string][]string
	// unknownIn lists the paths of the maps that hold an unknown key
	// (a misspelt key leaves its intended key missing there); "" is the
	// top level, listed only for a key that looks misspelt or misplaced.
	unknownIn []string
}

// explains reports whether e, found converting and validating what was
// decoded, follows from a decoding error: it is at or under a path that
// failed to decode (the field was left empty), or inside an entry that
// holds an unknown key (the key meant may be missing). At the top level,
// an unknown key that looks like a misspelt or misplaced one explains every
// other problem (a misspelt "successors" leaves every predecessor in no
// successor); one like nothing known ("bogus: 1") explains none.
func (d *decoder) explains(e error) bool {
	p, ok := fielderr.PathOf(e)
	if !ok {
		return false
	}
	for _, o := range d.errs {
		if op, ok := fielderr.PathOf(o); ok && (fielderr.Covers(op, p) || fielderr.Covers(p, op)) {
			return true
		}
	}
	for _, in := range d.unknownIn {
		if in == "" || fielderr.Covers(in, p) {
			return true
		}
	}
	return false
}

func (d *decoder) fail(path, format string, a ...any) {
	if path == "" {
		path = "(top level)"
	}
	d.errs = append(d.errs, fielderr.New(path, format, a...))
}

func join(path, key string) string { return fielderr.Join(path, key) }

func (d *decoder) decode(path string, raw any, v reflect.Value) {
	if d.root == nil {
		d.root = v.Type()
	}
	if raw == nil {
		return // absent or null: keep the zero value (defaults apply)
	}
	switch v.Kind() {
	case reflect.Interface:
		// A distribution spec: its keys are the notation's own words
		// (dist, p95, min, ...), matched whatever their case.
		v.Set(reflect.ValueOf(lowerKeys(raw)))
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(path, raw, v.Elem())
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			d.fail(path, "expected a map of keys, got %s", describe(raw))
			return
		}
		t := v.Type()
		fields := map[string]int{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			if k := t.Field(i).Tag.Get("key"); k != "" {
				fields[k] = i
				names = append(names, k)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			i, ok := fields[lower(k)]
			if !ok {
				if d.homes == nil {
					d.homes = keyHomes(d.root)
				}
				// An unknown key is quoted cut short (inputfile.Excerpt): it
				// may be a whole line of a file that is not a scenario.
				hint := suggest.Hint(k, names)
				if homes := d.homes[lower(k)]; len(homes) > 0 && len(homes) <= 3 {
					hint = "here (it belongs " + strings.Join(homes, " or ") + ")"
					d.fail(join(path, inputfile.Excerpt(k)), "unknown key %s", hint)
				} else {
					d.fail(join(path, inputfile.Excerpt(k)), "unknown key%s", hint)
				}
				if path != "" || hint != "" {
					d.unknownIn = append(d.unknownIn, path)
				}
				continue
			}
			d.decode(join(path, k), m[k], v.Field(i))
		}
	case reflect.Slice:
		lst, ok := raw.([]any)
		if !ok {
			d.fail(path, "expected a list, got %s", describe(raw))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(lst), len(lst))
		for i, e := range lst {
			d.decode(fmt.Sprintf("%s[%d]", path, i), e, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		m, ok := raw.(map[string]any)
		if !ok {
			d.fail(path, "expected a map, got %s", describe(raw))
			return
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			e := m[k]
			ev := reflect.New(v.Type().Elem()).Elem()
			d.decode(join(path, k), e, ev)
			out.SetMapIndex(reflect.ValueOf(k), ev)
		}
		v.Set(out)
	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			d.fail(path, "expected text, got %s", describe(raw))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := raw.(bool)
		if !ok {
			d.fail(path, "expected true or false, got %s", describe(raw))
			return
		}
		v.SetBool(b)
	case reflect.Int:
		f, err := notation.Number(raw)
		if _, text := raw.(string); err != nil && text {
			d.fail(path, "expected a whole number, got %s", describe(raw))
			return
		} else if err != nil {
			d.fail(path, "%v", err)
			return
		}
		if f != math.Trunc(f) || math.Abs(f) > 1e15 {
			d.fail(path, "expected a whole number, got %v", raw)
			return
		}
		v.SetInt(int64(f))
	case reflect.Float64:
		f, err := notation.Number(raw)
		if err != nil {
			d.fail(path, "%v", err)
			return
		}
		v.SetFloat(f)
	default:
		panic("scenarios: unsupported field kind " + v.Kind().String())
	}
}

// keyHomes lists, for every key of the schema rooted at t, where it is a
// key, shortest path first: "at the top level", or "in systems[]" (a key of
// each entry of systems).
func keyHomes(t reflect.Type) map[string][]string {
	paths := map[string][]string{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			if t.Kind() == reflect.Slice {
				path += "[]"
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := 0; i < t.NumField(); i++ {
			k := t.Field(i).Tag.Get("key")
			if k == "" {
				continue
			}
			paths[k] = append(paths[k], strings.TrimPrefix(path, "."))
			walk(t.Field(i).Type, path+"."+k)
		}
	}
	walk(t, "")
	for _, homes := range paths {
		sort.SliceStable(homes, func(i, j int) bool { return len(homes[i]) < len(homes[j]) })
		for i, h := range homes {
			if h == "" {
				homes[i] = "at the top level"
			} else {
				homes[i] = "in " + h
			}
		}
	}
	return paths
}

func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("text %q", x)
	case bool:
		return "a true/false value"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("the number %v", v)
}

// merge overlays child on base: maps merge key by key (keys matched
// whatever their case, the child's spelling kept), anything else in child
// replaces base.
func merge(base, child map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(child))
	name := make(map[string]string, len(base))
	for k, v := range base {
		out[k] = v
		name[lower(k)] = k
	}
	for k, v := range child {
		bk, had := name[lower(k)]
		bv := out[bk]
		if had {
			delete(out, bk)
		}
		bm, ok1 := bv.(map[string]any)
		cm, ok2 := v.(map[string]any)
		if had && ok1 && ok2 {
			out[k] = merge(bm, cm)
		} else {
			out[k] = v
		}
	}
	return out
}

// lower is strings.ToLower, named for the case-insensitive keys of the
// scenario notation.
var lower = strings.ToLower

// lowerKeys returns v with the keys of every map lower-cased (parse has
// already rejected keys that collide when folded).
func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[lower(k)] = lowerKeys(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = lowerKeys(e)
		}
		return out
	}
	return v
}
