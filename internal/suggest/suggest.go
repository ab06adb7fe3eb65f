// Package suggest finds the closest known word to a misspelt one, for
// "did you mean" hints in error messages.
package suggest

import "unicode/utf8"

// Closest returns the candidate nearest to word by edit distance, or "" when
// none is within a third of the word's length (at least 2 edits).
// Candidates whose length differs from the word's by more than that are
// skipped unmeasured (the edit distance is at least the difference), so
// that a huge word costs nothing.
func Closest(word string, candidates []string) string {
	n := utf8.RuneCountInString(word)
	limit := n / 3
	if limit < 2 {
		limit = 2
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if abs(n-utf8.RuneCountInString(c)) > limit {
			continue
		}
		if d := distance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}

// Hint formats Closest as ` (did you mean "x"?)`, or "" when nothing is close.
func Hint(word string, candidates []string) string {
	if c := Closest(word, candidates); c != "" {
		return ` (did you mean "` + c + `"?)`
	}
	return ""
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
