/**
 * JMH benchmarks of tinygen's hot paths, each fused kernel next to its composition of plain ops, and the mains the
 * side-by-side runner ({@code benchmarks/run-side-by-side.sh}) calls: {@link dev.tinygen.bench.GemmPeak},
 * {@link dev.tinygen.bench.BpeThroughput}, {@link dev.tinygen.bench.CostGrowth}, and the DL4J peers'
 * {@link dev.tinygen.bench.dl4j.Dl4jPeers}.
 *
 * <p>Shape letters, as in the transformer: B batch, T time (context length), C channels (width), V vocabulary,
 * nh heads, hs head size (C / nh); M, K, N the rows, inner size and columns of a matrix product.
 *
 * <p>Every benchmark's trial setup prints {@link dev.tinygen.nn.Backend#describe()}. Forks inherit the
 * environment: export {@code OMP_WAIT_POLICY=PASSIVE} before {@code java -jar benchmarks/target/benchmarks.jar}
 * (measured 1.5-2x faster for small ops on 2 cores); the runner does.
 */
package dev.tinygen.bench;
