package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// MaxDepth bounds the nesting of maps and lists in a scenario file. The
// deepest shipped scenario nests 6 levels; a mixture of mixtures perhaps 12.
// The bound is checked before parsing (TOML) or by the parser (YAML and
// JSON stop at 10,000 levels) and again on the parsed tree, so that no
// recursion, here or in the parsers, can overflow the stack.
const MaxDepth = 64

// parse reads YAML, JSON or TOML into a generic tree of map[string]any,
// []any and scalars. Keys keep the case the user wrote them in (fields are
// matched case-insensitively later); two keys of one map that differ only
// in case are an error, and so is a key given twice. Dots in keys are kept
// ("p2.5" is one key).
// MaxMapKeys and MaxKeys bound the keys of one map and of a whole file.
// The YAML and TOML parsers check a map's keys for duplicates pair by pair,
// so their time grows with the square of a map's size (200,000 keys in one
// TOML table took 100 s); these bounds, far above any scenario (a generated
// area has about 600 keys, 30 in its largest map), keep reading under a
// few seconds. They are checked before that quadratic step.
const (
	MaxMapKeys = 10_000
	MaxKeys    = 100_000
)

func parse(data []byte, format string) (map[string]any, error) {
	m, _, err := parseNoted(data, format)
	return m, err
}

// parseNoted is parse, also returning a YAML file's comments by the key
// path they annotate (yamlNotes; nil for JSON and TOML).
func parseNoted(data []byte, format string) (map[string]any, map[string]string, error) {
	var notes map[string]string
	switch format {
	case "yml", "":
		format = "yaml"
	case "yaml", "json", "toml":
	default:
		return nil, nil, fmt.Errorf("unsupported file type %q (use .yaml, .json or .toml)", format)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, errors.New("file is empty")
	}
	var tree any
	var err error
	switch format {
	case "yaml":
		var doc yaml.Node // parsed without the pair-by-pair duplicate check
		if err = yaml.Unmarshal(data, &doc); err == nil && doc.Kind != 0 {
			total := 0
			if err := yamlKeys(&doc, &total); err != nil {
				return nil, nil, err
			}
			err = doc.Decode(&tree)
			notes = yamlNotes(&doc)
		}
	case "json":
		tree, err = decodeJSON(data)
	case "toml":
		d, keys, total, at, line := tomlShape(data)
		if d > MaxDepth {
			return nil, nil, fielderr.New(at, "lists and maps nest %d deep (from line %d); the limit is %d", d, line, MaxDepth)
		}
		if keys > MaxMapKeys || total > MaxKeys {
			return nil, nil, fmt.Errorf("%d key = value pairs in all, %d in one section; the limits are %d and %d", total, keys, MaxKeys, MaxMapKeys)
		}
		var m map[string]any
		err = toml.Unmarshal(data, &m)
		tree = m
	}
	if err != nil {
		var fe *fielderr.FieldError
		if errors.As(err, &fe) {
			return nil, nil, err
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, nil, fmt.Errorf("%s syntax error: %s", strings.ToUpper(format), msg)
	}
	if tree == nil {
		return nil, nil, errors.New("file holds no settings")
	}
	norm, err := normalize("", tree, 0)
	if err != nil {
		return nil, nil, err
	}
	m, ok := norm.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("expected a map of keys at the top level, got %s", describe(norm))
	}
	if len(m) == 0 {
		return nil, nil, errors.New("file holds no settings")
	}
	return m, notes, nil
}

// normalize turns what the parsers return into map[string]any, []any,
// string, bool, float64, int and nil, checking depth and case-colliding keys.
func normalize(path string, v any, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fielderr.New(path, "lists and maps nest more than %d deep", MaxDepth)
	}
	switch x := v.(type) {
	case map[string]any:
		return normalizeMap(path, len(x), func(yield func(string, any) bool) {
			for k, e := range x {
				if !yield(k, e) {
					return
				}
			}
		}, depth)
	case map[any]any:
		return normalizeMap(path, len(x), func(yield func(string, any) bool) {
			for k, e := range x {
				if !yield(fmt.Sprint(k), e) {
					return
				}
			}
		}, depth)
	case []any:
		return normalizeList(path, x, depth)
	case []map[string]any: // TOML arrays of tables
		return normalizeList(path, x, depth)
	case nil, string, bool, float64, int:
		return x, nil
	case int64:
		if x > math.MaxInt32 || x < math.MinInt32 {
			return float64(x), nil
		}
		return int(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.Format("2006-01-02"), nil
	}
	return fmt.Sprint(v), nil
}

func normalizeMap(path string, n int, each func(func(string, any) bool), depth int) (any, error) {
	out := make(map[string]any, n)
	folded := make(map[string]string, n)
	var keys []string
	each(func(k string, _ any) bool { keys = append(keys, k); return true })
	sort.Strings(keys)
	var errs []error
	vals := make(map[string]any, n)
	each(func(k string, e any) bool { vals[k] = e; return true })
	for _, k := range keys {
		f := strings.ToLower(k)
		if prev, dup := folded[f]; dup {
			errs = append(errs, fielderr.New(fielderr.Join(path, k), "%q and %q are the same key (keys are case-insensitive); give it once", prev, k))
			continue
		}
		folded[f] = k
		e, err := normalize(fielderr.Join(path, k), vals[k], depth+1)
		if err != nil {
			errs = append(errs, err)
		}
		out[k] = e
	}
	return out, errors.Join(errs...)
}

// decodeJSON reads one JSON value token by token, rejecting duplicate keys
// (encoding/json keeps the last silently), nesting deeper than MaxDepth and
// anything after the value.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	total := 0
	v, err := jsonValue(dec, "", 0, &total)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("JSON syntax error: more data after the top-level value")
	}
	return v, nil
}

func jsonValue(dec *json.Decoder, path string, depth int, total *int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= MaxDepth {
		return nil, fielderr.New(path, "lists and maps nest more than %d deep", MaxDepth)
	}
	switch d {
	case '{':
		m := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			if _, dup := m[k]; dup {
				return nil, fielderr.New(fielderr.Join(path, k), "key given twice")
			}
			*total++
			if err := keyLimits(len(m)+1, *total); err != nil {
				return nil, fielderr.New(path, "%v", err)
			}
			v, err := jsonValue(dec, fielderr.Join(path, k), depth+1, total)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		_, err := dec.Token()
		return m, err
	case '[':
		var l []any
		for dec.More() {
			v, err := jsonValue(dec, fmt.Sprintf("%s[%d]", path, len(l)), depth+1, total)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := dec.Token()
		if l == nil {
			l = []any{}
		}
		return l, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// yamlKeys checks a parsed YAML document against MaxMapKeys and MaxKeys,
// adding its maps' keys to total.
func yamlKeys(n *yaml.Node, total *int) error {
	if n.Kind == yaml.MappingNode {
		k := len(n.Content) / 2
		*total += k
		if err := keyLimits(k, *total); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
	}
	for _, c := range n.Content {
		if err := yamlKeys(c, total); err != nil {
			return err
		}
	}
	return nil
}

// keyLimits checks a map's keys and the file's keys so far against
// MaxMapKeys and MaxKeys.
func keyLimits(mapKeys, total int) error {
	if mapKeys > MaxMapKeys {
		return fmt.Errorf("a map holds %d keys; the limit is %d", mapKeys, MaxMapKeys)
	}
	if total > MaxKeys {
		return fmt.Errorf("the file holds more than %d keys, the limit", MaxKeys)
	}
	return nil
}

// tomlShape returns the deepest nesting of [ and { in a TOML document, the
// most key = value pairs in one section (from a [table] header to the
// next; an upper bound on any one table's keys) and in all, skipping
// comments and strings (basic, literal and multi-line); and, once the
// nesting passes MaxDepth, the key path where it does (the section and
// key, e.g. "items[2].amount") and its line.
func tomlShape(b []byte) (deepest, sectionKeys, keys int, at string, atLine int) {
	depth, section, lineStart := 0, 0, true
	line, keyFrom := 1, 0
	table, key := "", ""
	arrays := map[string]int{} // [[name]] headers seen, for indexes
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			lineStart = true
			line++
			if depth == 0 {
				keyFrom = i + 1
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' {
			continue
		}
		atStart := lineStart
		lineStart = false
		switch c {
		case '#': // to the end of the line, whose newline starts the next
			for i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			q := []byte{c, c, c}
			if bytes.HasPrefix(b[i:], q) { // multi-line string
				k := i + 3
				for k < len(b) && !bytes.HasPrefix(b[k:], q) {
					if c == '"' && b[k] == '\\' {
						k++
					}
					if b[k] == '\n' {
						line++
					}
					k++
				}
				i = k + 2
				continue
			}
			for i++; i < len(b) && b[i] != c && b[i] != '\n'; i++ {
				if c == '"' && b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if c == '[' && depth == 0 && atStart { // a table header
				section = 0
				if end := bytes.IndexByte(b[i:], '\n'); end > 0 {
					h := strings.TrimSpace(string(b[i : i+end]))
					if strings.HasPrefix(h, "[[") && strings.Contains(h, "]]") {
						name := strings.TrimSpace(h[2:strings.Index(h, "]]")])
						arrays[name]++
						table = fmt.Sprintf("%s[%d]", name, arrays[name]-1)
					} else if j := strings.IndexByte(h, ']'); j > 0 {
						table = strings.TrimSpace(h[1:j])
					}
					key = ""
					i += end - 1
					continue
				}
			}
			depth++
			if depth > deepest {
				deepest = depth
				if deepest == MaxDepth+1 {
					at, atLine = fielderr.Join(table, key), line
				}
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '=':
			if depth == 0 && keyFrom <= i {
				key = strings.Trim(strings.TrimSpace(string(b[keyFrom:i])), `"'`)
			}
			section++
			keys++
			sectionKeys = max(sectionKeys, section)
		}
	}
	return deepest, sectionKeys, keys, at, atLine
}

// normalizeList normalizes each element of a list (YAML and JSON lists,
// TOML arrays of tables).
func normalizeList[T any](path string, x []T, depth int) (any, error) {
	out := make([]any, len(x))
	var errs []error
	for i, e := range x {
		n, err := normalize(fmt.Sprintf("%s[%d]", path, i), e, depth+1)
		errs = append(errs, err)
		out[i] = n
	}
	return out, errors.Join(errs...)
}
