package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// WriteJSON writes v as indented JSON, with NaN and infinities as null.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := encode(&buf, reflect.ValueOf(v)); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

func encode(b *bytes.Buffer, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Invalid:
		b.WriteString("null")
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return encode(b, v.Elem())
	case reflect.Float64, reflect.Float32:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			b.WriteString("null")
			return nil
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		var fields func(v reflect.Value) error
		fields = func(v reflect.Value) error {
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() && !f.Anonymous {
					continue
				}
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if f.Anonymous && name == "" {
					fv := v.Field(i)
					if fv.Kind() == reflect.Pointer {
						if fv.IsNil() {
							continue
						}
						fv = fv.Elem()
					}
					if fv.Kind() == reflect.Struct {
						if err := fields(fv); err != nil {
							return err
						}
						continue
					}
				}
				if name == "" {
					name = f.Name
				}
				fv := v.Field(i)
				if strings.Contains(opts, "omitempty") && fv.IsZero() {
					continue
				}
				if !first {
					b.WriteByte(',')
				}
				first = false
				jsonString(b, name)
				b.WriteByte(':')
				if err := encode(b, fv); err != nil {
					return err
				}
			}
			return nil
		}
		if err := fields(v); err != nil {
			return err
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return encodeDefault(b, v)
		}
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		// Keys sorted as encoding/json sorts them; values through encode,
		// so that a NaN in a map is null rather than an error.
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(b, k.String())
			b.WriteByte(':')
			if err := encode(b, v.MapIndex(k)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		// The built-in types without methods directly (a named type may
		// marshal itself: encodeDefault).
		switch v.Type() {
		case stringType:
			jsonString(b, v.String())
		case intType:
			b.WriteString(strconv.FormatInt(v.Int(), 10))
		case boolType:
			b.WriteString(strconv.FormatBool(v.Bool()))
		default:
			return encodeDefault(b, v)
		}
	}
	return nil
}

var (
	stringType = reflect.TypeFor[string]()
	intType    = reflect.TypeFor[int]()
	boolType   = reflect.TypeFor[bool]()
)

// jsonString writes s as encoding/json does: between quotes as it is when
// every byte is printable ASCII that encoding/json leaves alone (not ", \,
// or the HTML-escaped <, > and &), which keys and labels almost always
// are; otherwise through json.Marshal.
func jsonString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, _ := json.Marshal(s)
			b.Write(j)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// encodeDefault is encoding/json's encoding of v.
func encodeDefault(b *bytes.Buffer, v reflect.Value) error {
	j, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	b.Write(j)
	return nil
}
