package scenarios

import (
	"embed"
	"reflect"
)

// Shipped returns the scenario files shipped inside devolve: *.yaml,
// cases/*.yaml, cases/bridge/*.yaml and integration/*.yaml.
func Shipped() embed.FS { return embedded }

// Decode reads data (format "yaml", "json" or "toml") into v, a pointer to
// a struct whose fields carry `key` tags, as a scenario file is read. err is
// non-nil when data does not parse; otherwise problems lists every unknown
// key and wrong type at its key path (a key that failed is left zero).
func Decode(data []byte, format string, v any) (problems []error, err error) {
	m, err := parse(data, format)
	if err != nil {
		return nil, err
	}
	d := &decoder{}
	d.decode("", m, reflect.ValueOf(v).Elem())
	return d.errs, nil
}

// Covered reports whether e's key path is at or below the path of one of
// errs (or e repeats one of errs): a check need not report again what the
// decoder already said.
func Covered(e error, errs []error) bool { return covered(e, errs) }
