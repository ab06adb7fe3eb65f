// Package notation reads the way a scenario writes a number or a
// distribution: amounts as a user would type them ("£3m", "450k", "15%"),
// ranges ("3k to 10k", a 90% interval), and distribution specs
// ({dist: pert, min: ..., mode: ..., max: ...}) with their key-path errors.
// It turns them into model/dist values; the distributions themselves know
// nothing of text.
package notation
