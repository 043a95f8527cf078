package dev.tinygen.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tinygen.transformer.tokenizer.BpeTokenizer;

/**
 * BPE encoding speed in MB/s of UTF-8 input, tinygen's {@link BpeTokenizer} against jtokkit, on dickens.txt with
 * cl100k_base, for the side-by-side runner. The two encoders alternate round by round, so a busy neighbour slows
 * both alike; the check that both produce the same ids is their warm-up.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tinygen.bench.BpeThroughput [--rounds 5]}.
 * Prints one JSON line: {@code {"bytes":..,"tokens":..,"tinygen_mb_per_s":..,"jtokkit_mb_per_s":..}} (medians).
 */
public final class BpeThroughput {
    private BpeThroughput() {}

    public static void main(String[] args) {
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) rounds = Integer.parseInt(GemmPeak.value(args, ++i, "--rounds"));
            else throw new IllegalArgumentException("BpeThroughput: unknown option '" + args[i] + "', expected --rounds N");
        }
        if (rounds < 1) throw new IllegalArgumentException("BpeThroughput: --rounds must be at least 1, got " + rounds);
        String text = BenchEnv.dickens();
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        BpeTokenizer ours = BpeTokenizer.tiktoken("cl100k_base");
        Encoding theirs = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        int[] a = ours.encodeOrdinary(text);
        int[] b = theirs.encodeOrdinary(text).toArray();
        if (!Arrays.equals(a, b))
            throw new IllegalStateException("BpeTokenizer and jtokkit disagree on dickens.txt (%d vs %d tokens)".formatted(a.length, b.length));
        double[] tg = new double[rounds], jt = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ours.encodeOrdinary(text);
            long t1 = System.nanoTime();
            theirs.encodeOrdinary(text);
            long t2 = System.nanoTime();
            tg[r] = mb / ((t1 - t0) / 1e9);
            jt[r] = mb / ((t2 - t1) / 1e9);
        }
        System.out.printf(Locale.ROOT, "{\"bytes\":%d,\"tokens\":%d,\"tinygen_mb_per_s\":%.2f,\"jtokkit_mb_per_s\":%.2f}%n",
                Math.round(mb * 1e6), a.length, Stats.median(tg), Stats.median(jt));
    }
}
