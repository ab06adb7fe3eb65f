package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestWriteJSONMapNaN: a NaN or infinite value inside a map (a fit's
// standard errors) is written as null, as it is in a struct field, not an
// error that loses the whole document; keys sorted as encoding/json sorts
// them.
func TestWriteJSONMapNaN(t *testing.T) {
	var buf bytes.Buffer
	v := struct {
		SE map[string]float64 `json:"se"`
	}{map[string]float64{"shape": math.NaN(), "rate": 2, "k": math.Inf(1)}}
	if err := WriteJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	var got struct {
		SE map[string]*float64 `json:"se"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, buf.String())
	}
	if got.SE["shape"] != nil || got.SE["k"] != nil || got.SE["rate"] == nil || *got.SE["rate"] != 2 {
		t.Errorf("got %s", buf.String())
	}
	if c := bytes.Index(buf.Bytes(), []byte(`"k"`)); c < 0 || c > bytes.Index(buf.Bytes(), []byte(`"rate"`)) {
		t.Errorf("keys not sorted: %s", buf.String())
	}
}

// upper marshals itself (in capitals): a named string type must keep its
// own encoding.
type upper string

func (u upper) MarshalJSON() ([]byte, error) { return json.Marshal(strings.ToUpper(string(u))) }

// TestWriteJSONAsEncodingJSON: strings, ints and bools (fields, slices,
// map keys and values) come out byte for byte as encoding/json writes them,
// including the strings it escapes (quotes, backslashes, control
// characters, HTML's <, > and &, non-ASCII, U+2028, invalid UTF-8, DEL),
// and a named type keeps its own MarshalJSON.
func TestWriteJSONAsEncodingJSON(t *testing.T) {
	strs := []string{"", "plain words 123", `a "quote"`, `back\slash`, "tab\tnew\nline", "a<b>c&d", "x<y", "p>q", "r&s", "£15m",
		"é", "\u2028\u2029", "\xff\xfe bad", "del\x7f", "\x00\x1f", "emoji 😀", "</script>"}
	type row struct {
		S    string   `json:"s"`
		N    int      `json:"n"`
		B    bool     `json:"b"`
		U    upper    `json:"u"`
		List []string `json:"list"`
		Ints []int    `json:"ints"`
	}
	v := struct {
		Rows []row            `json:"rows"`
		Map  map[string]int   `json:"map"`
		Sets map[string][]int `json:"sets,omitempty"`
		Neg  int
	}{Map: map[string]int{}, Neg: -7}
	for i, s := range strs {
		v.Rows = append(v.Rows, row{S: s, N: i * -1000003, B: i%2 == 0, U: upper(s), List: []string{s, s + "x"}, Ints: []int{i, -i}})
		v.Map[s] = i
	}
	var got bytes.Buffer
	if err := WriteJSON(&got, v); err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if w := string(want) + "\n"; got.String() != w {
		t.Errorf("WriteJSON differs from encoding/json:\n%s\nwant\n%s", got.String(), w)
	}
}
