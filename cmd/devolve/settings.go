package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/spf13/viper"
)

// Devolve's own settings (not a scenario's: scenario files keep their
// strict readers in package scenarios) come from four layers, highest
// first: a flag on the command line, a DEVOLVE_* environment variable,
// devolve.yaml in the working directory, devolve.yaml in the user's
// config directory (devolve/devolve.yaml under os.UserConfigDir), and
// the built-in default, which is the flag's own default (one home). A
// command sees only the settings it has a flag for; each value, from
// whichever layer, is parsed and checked by that flag, so a setting means
// the same whether typed or configured.

// settingsFile is the name of devolve's settings file.
const settingsFile = "devolve.yaml"

// settingsEnvPrefix starts every setting's environment variable.
const settingsEnvPrefix = "DEVOLVE"

// maxSettingsBytes bounds devolve.yaml.
const maxSettingsBytes = 1 << 20

// setting is one of devolve's own settings: its key in devolve.yaml, which
// is also its flag's name, and what it sets.
type setting struct {
	Key  string
	Help string
}

// settings lists devolve's own settings in the order `devolve config`
// prints them.
var settings = []setting{
	{"iterations", "Monte Carlo trials"},
	{"seed", "random seed"},
	{"sampling", "how each block of trials is drawn: mc, lhs or sobol"},
	{"workers", "worker goroutines (0: all cores)"},
	{"format", "output format"},
	{"out", "directory --out writes the output files into"},
	{"data", "directory searched for scenario NAMEs before the embedded scenarios"},
}

// settingKeys returns every setting's key.
func settingKeys() []string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.Key
	}
	return keys
}

// envName is the environment variable of a setting: DEVOLVE_ITERATIONS.
func envName(key string) string { return settingsEnvPrefix + "_" + strings.ToUpper(key) }

// settingsPlaces says where devolve.yaml is looked for: workDir first,
// then configDir. An empty string skips that place.
type settingsPlaces struct {
	workDir, configDir string
}

// defaultPlaces returns the working directory and the user's config
// directory (devolve/ under os.UserConfigDir).
func defaultPlaces() settingsPlaces {
	var p settingsPlaces
	if wd, err := os.Getwd(); err == nil {
		p.workDir = wd
	}
	if cd, err := os.UserConfigDir(); err == nil {
		p.configDir = filepath.Join(cd, "devolve")
	}
	return p
}

// places is where this process looks for devolve.yaml (tests replace it).
var places = defaultPlaces

// origin says where a setting's effective value came from.
type origin struct {
	Kind  string // "flag", "environment", "file" or "default"
	Where string // --seed, DEVOLVE_SEED, the file's path, or ""
}

func (o origin) String() string {
	switch o.Kind {
	case "default":
		return "built-in default"
	case "file":
		return o.Where
	}
	return o.Kind + " " + o.Where
}

// label names a setting as its user gave it, for error messages: --seed,
// DEVOLVE_SEED, or /path/devolve.yaml: seed.
func (o origin) label(key string) string {
	switch o.Kind {
	case "environment":
		return o.Where
	case "file":
		return o.Where + ": " + key
	}
	return "--" + key
}

// layered is the outcome of reading the settings layers for one command:
// the viper instance holding every layer, and the files it read.
type layered struct {
	v     *viper.Viper
	files []settingsLayer // highest first: working directory, then config directory
}

// settingsLayer is one devolve.yaml read, checked and held in its own
// viper instance (so that `devolve config` can say which file a value
// came from).
type settingsLayer struct {
	path string
	v    *viper.Viper
}

// readSettings reads devolve.yaml from each place that has one, checking
// each strictly: a key that is not a setting, or a value that is not a
// single value, is an error naming the file and the key.
func readSettings(p settingsPlaces) (*layered, error) {
	l := &layered{v: viper.New()}
	l.v.SetConfigType("yaml")
	var errs []error
	for _, dir := range []string{p.workDir, p.configDir} {
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, settingsFile)
		if len(l.files) > 0 && sameFile(path, l.files[0].path) {
			continue // the working directory is the config directory
		}
		layer, err := readSettingsFile(path)
		if errors.Is(err, inputfile.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		l.files = append(l.files, *layer)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, &usageError{err}
	}
	// Lowest first: the config directory's file, then the working
	// directory's merged over it.
	for i := len(l.files) - 1; i >= 0; i-- {
		if err := l.v.MergeConfigMap(l.files[i].v.AllSettings()); err != nil {
			return nil, err
		}
	}
	l.v.SetEnvPrefix(settingsEnvPrefix)
	for _, k := range settingKeys() {
		if err := l.v.BindEnv(k); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// readSettingsFile reads and checks one devolve.yaml.
func readSettingsFile(path string) (*settingsLayer, error) {
	data, err := inputfile.Read(path, maxSettingsBytes)
	if err != nil {
		if errors.Is(err, inputfile.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		var pe viper.ConfigParseError
		if errors.As(err, &pe) {
			err = pe.Unwrap()
		}
		return nil, fmt.Errorf("%s: not valid YAML: %v", path, err)
	}
	var errs []error
	known := settingKeys()
	for _, k := range v.AllKeys() {
		top, _, nested := strings.Cut(k, ".")
		switch {
		case !slices.Contains(known, top):
			errs = append(errs, fmt.Errorf("%s: %s: not a devolve setting%s; the settings are %s",
				path, k, suggest.Hint(top, known), strings.Join(known, ", ")))
		case nested:
			errs = append(errs, fmt.Errorf("%s: %s: want a single value, not a map", path, top))
		}
	}
	for _, k := range known {
		if _, isList := v.Get(k).([]any); isList {
			errs = append(errs, fmt.Errorf("%s: %s: want a single value, not a list", path, k))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &settingsLayer{path: path, v: v}, nil
}

// boundFlag shows a standard-library flag to viper (viper.FlagValue).
type boundFlag struct {
	f       *flag.Flag
	changed bool
}

func (b boundFlag) HasChanged() bool    { return b.changed }
func (b boundFlag) Name() string        { return b.f.Name }
func (b boundFlag) ValueString() string { return b.f.Value.String() }
func (b boundFlag) ValueType() string   { return "string" }

// resolve binds fs's flags for the settings it has to l's viper instance
// (flags over environment over files over the flag's default) and
// returns, for each setting fs has, its effective value as text and its
// origin.
func (l *layered) resolve(fs *flag.FlagSet) (map[string]string, map[string]origin, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	vals, origins := map[string]string{}, map[string]origin{}
	for _, k := range settingKeys() {
		f := fs.Lookup(k)
		if f == nil {
			continue
		}
		l.v.SetDefault(k, f.DefValue)
		if err := l.v.BindFlagValue(k, boundFlag{f, set[k]}); err != nil {
			return nil, nil, err
		}
		vals[k] = l.v.GetString(k)
		origins[k] = l.originOf(k, set[k])
	}
	return vals, origins, nil
}

// originOf says which layer gives key its value.
func (l *layered) originOf(key string, flagSet bool) origin {
	if flagSet {
		return origin{"flag", "--" + key}
	}
	if v, ok := os.LookupEnv(envName(key)); ok && v != "" {
		return origin{"environment", envName(key)}
	}
	for _, f := range l.files {
		if f.v.IsSet(key) {
			return origin{"file", f.path}
		}
	}
	return origin{Kind: "default"}
}

// applySettings gives every flag of fs that is one of devolve's settings
// and was not given on the command line its value from the environment or
// devolve.yaml, parsed by the flag itself. It returns where each setting
// came from; a value the flag refuses is an error naming its origin.
func applySettings(fs *flag.FlagSet) (map[string]origin, error) {
	l, err := readSettings(places())
	if err != nil {
		return nil, err
	}
	vals, origins, err := l.resolve(fs)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, k := range settingKeys() {
		o, ok := origins[k]
		if !ok || o.Kind == "flag" || o.Kind == "default" {
			continue
		}
		v := vals[k]
		if o.Kind == "file" && (k == "out" || k == "data") {
			v = expandHome(v)
		}
		if err := fs.Set(k, v); err != nil {
			errs = append(errs, usagef("%s: invalid value %q: %v", o.label(k), v, err))
		}
	}
	return origins, errors.Join(errs...)
}

// expandHome turns a leading ~/ of a directory named in devolve.yaml into
// the user's home directory, as a shell would on the command line.
func expandHome(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok && p != "~" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}

// scenarioIn returns where to read the scenario NAME from given a data
// directory: NAME itself when it is a file (or no data directory is set),
// else the first of DIR/NAME, DIR/NAME.yaml, .yml, .json, .toml that
// exists, else NAME (an embedded scenario, or a missing file).
func scenarioIn(dataDir, name string) string {
	if dataDir == "" {
		return name
	}
	if _, err := os.Stat(name); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return name
	}
	for _, ext := range []string{"", ".yaml", ".yml", ".json", ".toml"} {
		p := filepath.Join(dataDir, name+ext)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return name
}
