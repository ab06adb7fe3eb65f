// Package serve is devolve's local what-if page: the headline, the fan chart
// and P(NPV > 0) of a scenario, with a slider for each of its top drivers
// (the inputs with the largest one-at-a-time swing of NPV). Moving a slider
// fixes that input at the chosen value and reruns the model with the same
// seed and DefaultTrials trials, so every other input keeps its draws.
//
// The page is plain HTML with a little inline JavaScript; it loads nothing
// from the network. Server is an http.Handler, tested with httptest.
package serve
