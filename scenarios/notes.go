package scenarios

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlNotes returns the comments of a YAML scenario by the key path they
// annotate (lgr.Scenario.Notes): a comment after a value or above a key
// belongs to that key's path ("democracy.allowance", "systems[0]" for a
// list entry written on one line, "savings[0]" for the comment above a list
// entry, "systems" for the comment above a section). Keys are lower-cased,
// as the schema matches them. The comment above the file's first key is
// the file's header and annotates nothing.
func yamlNotes(doc *yaml.Node) map[string]string {
	notes := map[string]string{}
	add := func(path string, texts ...string) {
		for _, t := range texts {
			t = cleanComment(t)
			if t == "" || path == "" {
				continue
			}
			if old, ok := notes[path]; ok && old != t {
				t = old + "; " + t
			}
			notes[path] = t
		}
	}
	var walk func(path string, n *yaml.Node, depth int)
	walk = func(path string, n *yaml.Node, depth int) {
		if n == nil || depth > MaxDepth {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(path, c, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := joinKey(path, strings.ToLower(k.Value))
				head := k.HeadComment
				if path == "" && i == 0 {
					head = "" // the file's header
				}
				add(p, head, k.LineComment, v.HeadComment, v.LineComment, k.FootComment)
				walk(p, v, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				add(p, c.HeadComment, c.LineComment)
				walk(p, c, depth+1)
			}
		}
	}
	walk("", doc, 0)
	return notes
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// cleanComment strips the # marks and joins a comment's lines.
func cleanComment(c string) string {
	var parts []string
	for _, l := range strings.Split(c, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#"))
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// mergeNotes returns the notes of a scenario that extends base: child's
// top-level keys replace base's whole (merge), and so do their notes.
func mergeNotes(base, child map[string]string, childKeys map[string]any) map[string]string {
	out := map[string]string{}
	for p, t := range base {
		top := p
		if i := strings.IndexAny(p, ".["); i >= 0 {
			top = p[:i]
		}
		replaced := false
		for k := range childKeys {
			if lower(k) == top {
				_, isMap := childKeys[k].(map[string]any)
				replaced = !isMap || strings.HasPrefix(p, top+".") && childHas(childKeys[k], p[len(top)+1:])
			}
		}
		if !replaced {
			out[p] = t
		}
	}
	for p, t := range child {
		out[p] = t
	}
	return out
}

// childHas reports whether map v (merged key by key) sets the first key of
// rest, so that its notes replace the base's.
func childHas(v any, rest string) bool {
	m, _ := v.(map[string]any)
	key := rest
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		key = rest[:i]
	}
	for k := range m {
		if lower(k) == key {
			return true
		}
	}
	return false
}
