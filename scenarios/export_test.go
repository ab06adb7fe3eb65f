package scenarios

// DelayedYAML is delayedYAML, for the reference evaluator's cases
// (refeval_test.go, package scenarios_test).
const DelayedYAML = delayedYAML
