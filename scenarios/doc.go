// Package scenarios reads scenario files (YAML, JSON or TOML, with the
// format's own decoder, so that keys keep their dots and case) into
// lgr.Scenario values, and embeds the shipped scenario files. It is the only
// package that knows about file formats. Only regular files of at most
// MaxFileSize bytes are read, nested at most MaxDepth deep; keys are matched
// whatever their case, and two keys of one map that differ only in case are
// an error.
//
// Reading is strict: unknown keys are errors with a did-you-mean hint, and
// every problem in a file is reported at once, each as
// "FILE: key.path: problem": a fielderr.FileError around a
// fielderr.FieldError whose path is the key as the user wrote it. A file may start with "extends: base.yaml" to
// override a few fields of a base (maps merge key by key; lists and scalars
// replace). docs/SCENARIOS.md documents every field.
//
// WriteYAML goes the other way, for a scenario built in code (package area,
// `devolve area --write`): the typed scenario in the file schema, with the
// distributions as they were specified and the notes as comments. The
// studies that run many scenarios live in package study.
package scenarios
