// Package scenarios reads scenario files (YAML, JSON or TOML, through an
// injected viper instance) into lgr.Scenario values, and embeds the shipped
// scenario files. It is the only package that knows about file formats.
//
// Reading is strict: unknown keys are errors with a did-you-mean hint, and
// every problem in a file is reported at once, each as
// "FILE: key.path: problem". A file may start with "extends: base.yaml" to
// override a few fields of a base (maps merge key by key; lists and scalars
// replace). docs/SCENARIOS.md documents every field.
package scenarios
