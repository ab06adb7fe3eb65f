package golden

import (
	"fmt"
	"reflect"
	"sort"
)

// Dump writes v canonically, one line per value with its Go path from
// "v": floats as their exact bits (%x), maps by sorted key, pointers and
// interfaces followed (an interface's dynamic type written first), every
// field read, exported or not. A pointer to a type named in opaque is
// written as "(opaque)", not followed: state built lazily from the other
// fields (a cache) that two equal values need not share. Two values with
// equal dumps are equal bit for bit; FirstDiff says where two dumps part.
// Values must not contain cycles.
func Dump(v any, opaque ...string) []string {
	var lines []string
	dump(&lines, "v", reflect.ValueOf(v), opaque)
	return lines
}

func dump(lines *[]string, path string, v reflect.Value, opaque []string) {
	add := func(format string, a ...any) { *lines = append(*lines, path+" = "+fmt.Sprintf(format, a...)) }
	switch v.Kind() {
	case reflect.Invalid:
		add("invalid")
	case reflect.Pointer, reflect.Interface:
		switch {
		case v.IsNil():
			add("nil")
		case v.Kind() == reflect.Pointer && contains(opaque, v.Type().Elem().Name()):
			add("(opaque)")
		case v.Kind() == reflect.Interface:
			add("%s", v.Elem().Type())
			dump(lines, path, v.Elem(), opaque)
		default:
			dump(lines, path, v.Elem(), opaque)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			dump(lines, path+"."+v.Type().Field(i).Name, v.Field(i), opaque)
		}
	case reflect.Slice, reflect.Array:
		add("len %d nil %v", v.Len(), v.Kind() == reflect.Slice && v.IsNil())
		for i := 0; i < v.Len(); i++ {
			dump(lines, fmt.Sprintf("%s[%d]", path, i), v.Index(i), opaque)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		add("map len %d nil %v", v.Len(), v.IsNil())
		for _, k := range keys {
			dump(lines, fmt.Sprintf("%s[%v]", path, k), v.MapIndex(k), opaque)
		}
	case reflect.Float32, reflect.Float64:
		add("%x", v.Float())
	case reflect.Func:
		add("func nil %v", v.IsNil())
	default:
		add("%v", v)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// FirstDiff is the first line where dumps a and b differ, or "" when they
// are equal.
func FirstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%s, against %s", a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("%d lines against %d", len(a), len(b))
	}
	return ""
}
