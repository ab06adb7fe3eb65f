// Package engine runs Monte Carlo simulations of any Model: a flat list of
// named inputs, each a dist.Distribution, and a pure evaluation from one
// trial's input values to its output values, given trial by trial
// (Model.NewEval) or for a block of trials column by column
// (Model.NewBlockEval), which is how the engine calls it: each input's
// block of draws is one contiguous column filled in one call, and the
// evaluation, the block moments and the kept copies run over columns.
//
// # Reproducibility contract
//
// Trials are cut into blocks of BlockSize. Every (seed, block, input name)
// gets its own random generator, seeded by hashing the three together, and
// the input's draws for that block come from that generator alone. A block's
// results depend only on the block, the runner only decides which goroutine
// runs which block, and every reduction (moments, kept draws) is combined
// afterwards in block order. Hence:
//
//   - the same model, seed and iteration count give bit-identical results for
//     any number of workers;
//   - two models that share an input name draw identical values for it in
//     every trial (common random numbers), which is what paired comparison of
//     options rests on.
//
// Blocks are reduced in rounds (block moments combined in block order at
// the end of each round), so that a precision rule (Options.Precision) can
// be checked at checkpoints fixed in blocks, independent of the workers,
// and so that memory does not grow with trials: with SecondPass (or Auto
// past its limit) no draw is kept, and the kept outputs' exact percentiles
// are found by regenerating the blocks (bounded.go).
//
// Every summary carries its Monte Carlo error: the mean's standard error,
// and for each percentile a distribution-free 95% interval between two
// order statistics (QuantileCIRanks) and the standard error read off it.
//
// The per-trial loop allocates nothing: scratch space is made once per
// worker by Model.BlockEval and once per run for block buffers.
package engine
