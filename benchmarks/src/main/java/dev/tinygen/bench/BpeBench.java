package dev.tinygen.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tinygen.transformer.tokenizer.BpeTokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Byte-level BPE encoding of the whole of dickens.txt (1.2 MB) with OpenAI's cl100k_base ranks: tinygen's
 * {@link BpeTokenizer} against jtokkit, the Java port of tiktoken. Setup checks that both give the same ids, so
 * the two sides do the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class BpeBench {
    private String text;
    private BpeTokenizer tinygen;
    private Encoding jtokkit;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        text = BenchEnv.dickens();
        tinygen = BpeTokenizer.tiktoken("cl100k_base");
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        int[] ours = tinygen.encodeOrdinary(text);
        int[] theirs = jtokkit.encodeOrdinary(text).toArray();
        if (!Arrays.equals(ours, theirs))
            throw new IllegalStateException("BpeTokenizer and jtokkit disagree on dickens.txt (%d vs %d tokens); the comparison would be unfair"
                    .formatted(ours.length, theirs.length));
    }

    @Benchmark
    public void tinygen(Blackhole bh) {
        bh.consume(tinygen.encodeOrdinary(text));
    }

    @Benchmark
    public void jtokkit(Blackhole bh) {
        bh.consume(jtokkit.encodeOrdinary(text));
    }
}
