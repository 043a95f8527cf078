package dev.tinygen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.data.TextCorpus;

/** What every benchmark shares: the JVM flags of each fork, the backend line, the embedded corpus. */
public final class BenchEnv {
    /** Heap for a fork: the BPE benchmarks hold a 1.2 MB text's tokens and the rank tables of two encoders. */
    public static final String HEAP = "-Xmx4g";
    /** JavaCPP's off-heap cap; ND4J arrays live there, and allocating benchmarks churn through it. */
    public static final String OFF_HEAP = "-Dorg.bytedeco.javacpp.maxbytes=8G";

    private static boolean announced;

    private BenchEnv() {}

    /**
     * Prints the backend line once per JVM (a fork runs one benchmark, so once per benchmark), and a warning when
     * OpenMP's wait policy is not passive, since that alone changes small-op timings 1.5-2x on 2 cores.
     */
    public static synchronized void announce() {
        if (announced) return;
        announced = true;
        System.out.println("# " + Backend.describe());
        if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY")))
            System.out.println("# warning: OMP_WAIT_POLICY is " + System.getenv("OMP_WAIT_POLICY")
                    + ", not PASSIVE: export OMP_WAIT_POLICY=PASSIVE before starting the JVM for comparable figures");
    }

    /** The Old Curiosity Shop, the embedded default corpus, as read by the examples (byte order mark removed). */
    public static String dickens() {
        try {
            return TextCorpus.readResource("/dickens.txt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath resource /dickens.txt (from crunch-test): " + e.getMessage(), e);
        }
    }
}
