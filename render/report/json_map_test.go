package report

import (
	"bytes"
	"encoding/json"
	"math"
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
