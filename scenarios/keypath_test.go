package scenarios

import "testing"

// TestKeyPathOf: model input names map back to the key paths as written.
func TestKeyPathOf(t *testing.T) {
	y := `name: k
predecessors: [{name: A, kind: district, population: 10}, {name: B, kind: district, population: 20}]
successors: [{name: U, predecessors: [A, B]}]
systems: [{name: Fin.Ance, per_kind: {district: 1}, licence: 1k to 2k, migration: 10k}]
items: [{name: fine, amount: 1m}, {name: x, amount: 1k to 5k}]
`
	ld, err := LoadBytes([]byte(y), "yaml", "k")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"items.x.amount":           "items[1].amount",
		"items.fine.amount":        "items[0].amount",
		"systems.fin.ance.licence": "systems[0].licence",
		"it_overrun":               "it_overrun",
		"items.nope.amount":        "items.nope.amount",
	} {
		if got := ld.KeyPathOf(in); got != want {
			t.Errorf("KeyPathOf(%q) = %q, want %q", in, got, want)
		}
	}
}
