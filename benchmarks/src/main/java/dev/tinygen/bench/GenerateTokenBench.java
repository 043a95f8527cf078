package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.CachedDecoder;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.KvCache;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one generated token after {@code context} tokens: {@code decoder}, as Generator pays it with the KV
 * cache ({@link CachedDecoder#step}, plain Java over the cached keys and values); {@code withCache}, the same through
 * ND4J ({@link Gpt#forwardCached} after {@link Gpt#prefill}); {@code withoutCache}, the whole context plus the new
 * token through the model again ({@link Gpt#forward}, as Generator's uncached path does).
 *
 * <p>Shape: cpuSmall (block 64, 4 layers, 4 heads, C 128, V 77), batch 1; cached: new id (1, 1) -> logits (1, V);
 * uncached: ids (1, context + 1) -> logits (1, context + 1, V).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class GenerateTokenBench {
    static final int V = 77;

    /** Tokens already in the context; the block size is 64, so 63 is the longest before the cache is refilled. */
    @Param({"8", "32", "63"})
    public int context;

    private Gpt model;
    private KvCache cache;
    private INDArray prompt;     // (1, context)
    private INDArray next;       // (1, 1)
    private INDArray whole;      // (1, context + 1)
    private CachedDecoder decoder;
    private int[] ids;           // context + 1 token ids

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        GptConfig cfg = GptConfig.cpuSmall(V);
        if (context < 1 || context >= cfg.blockSize())
            throw new IllegalArgumentException("context must be in [1, %d), got %d".formatted(cfg.blockSize(), context));
        model = new Gpt(cfg, new Rng(1337));
        model.to(DataType.FLOAT);
        model.eval();
        cache = new KvCache(cfg, 1, DataType.FLOAT);
        Rng rng = new Rng(7);
        ids = new int[context + 1];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(V);
        whole = Nd4j.createFromArray(ids).reshape(1, context + 1);
        prompt = Nd4j.createFromArray(java.util.Arrays.copyOf(ids, context)).reshape(1, context);
        next = Nd4j.createFromArray(new int[] {ids[context]}).reshape(1, 1);
        decoder = new CachedDecoder(model);
    }

    /** Refills the cache with the context before each cached call (not timed). */
    @Setup(Level.Invocation)
    public void fillCache() {
        cache.clear();
        model.prefill(prompt, cache);
        decoder.clear();
        for (int i = 0; i < context; i++) decoder.step(ids[i]);
    }

    @Benchmark
    public void decoder(Blackhole bh) {
        bh.consume(decoder.step(ids[context]));                                          // V logits
    }

    @Benchmark
    public void withCache(Blackhole bh) {
        bh.consume(model.forwardCached(next, cache));                                   // (1, V)
    }

    @Benchmark
    public void withoutCache(Blackhole bh) {
        try (NoGrad ignored = NoGrad.scope()) {
            bh.consume(model.forward(whole).value());                                    // (1, context + 1, V)
        }
    }
}
