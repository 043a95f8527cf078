package dev.tinygen.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the numbers run on, in one line for the top of every benchmark and training log:
 *
 * <pre>backend CPU (nd4j-native), BLAS OPENBLAS, 2 OMP threads, 2 cores, dtype FLOAT, OMP_WAIT_POLICY=PASSIVE</pre>
 *
 * With the CUDA backend the line also names the devices. Timings mean little without it: thread count and
 * OpenMP's wait policy alone change small-op speed 1.5-2x on this library's workloads.
 */
public final class Backend {
    private Backend() {}

    /** One line describing the loaded ND4J backend, BLAS, threads, default dtype and OpenMP wait policy. */
    /**
     * Memory in use now: Java heap, off-heap bytes JavaCPP tracks (ND4J arrays outside workspaces and workspace blocks),
     * and the process's resident set. A training loop that leaks shows a rising off-heap figure.
     */
    public static String memory() {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        return String.format(java.util.Locale.ROOT, "heap %d MB, off-heap %d MB, RSS %d MB", heap >> 20,
                org.bytedeco.javacpp.Pointer.totalBytes() >> 20, org.bytedeco.javacpp.Pointer.physicalBytes() >> 20);
    }

    public static String describe() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        return describe(env, Nd4j.getBackend().getClass().getName(), Nd4j.dataType(), System.getenv("OMP_WAIT_POLICY"));
    }

    static String describe(Map<Object, Object> env, String backendClass, DataType dtype, String waitPolicy) {
        StringBuilder s = new StringBuilder("backend ").append(env.getOrDefault("backend", "?"));
        s.append(" (").append(artifact(backendClass)).append(")");
        s.append(", BLAS ").append(env.getOrDefault("blas.vendor", "?"));
        s.append(", ").append(env.getOrDefault("omp.threads", "?")).append(" OMP threads");
        s.append(", ").append(env.getOrDefault("cores", "?")).append(" cores");
        List<String> gpus = devices(env.get("cuda.devicesInformation"));
        if (!gpus.isEmpty()) s.append(", ").append(gpus.size() == 1 ? "device " : "devices ").append(String.join("; ", gpus));
        s.append(", dtype ").append(dtype);
        s.append(", OMP_WAIT_POLICY=").append(waitPolicy == null ? "unset" : waitPolicy);
        return s.toString();
    }

    /** The Maven artifact behind a backend class, as users choose it. */
    private static String artifact(String backendClass) {
        if (backendClass.contains("nativecpu")) return "nd4j-native";
        if (backendClass.contains("jcublas")) return "nd4j-cuda";
        return backendClass;
    }

    /** "NVIDIA H100 (sm 9.0, 80 GiB)" for each device the CUDA backend lists. */
    private static List<String> devices(Object info) {
        List<String> out = new ArrayList<>();
        if (!(info instanceof List<?> list)) return out;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> d)) continue;
            StringBuilder g = new StringBuilder(String.valueOf(d.get("cuda.deviceName")));
            Object major = d.get("cuda.deviceMajor");
            Object minor = d.get("cuda.deviceMinor");
            Object total = d.get("cuda.totalMemory");
            List<String> details = new ArrayList<>();
            if (major != null && minor != null) details.add("sm " + major + "." + minor);
            if (total instanceof Number n) details.add(Math.round(n.doubleValue() / (1L << 30)) + " GiB");
            if (!details.isEmpty()) g.append(" (").append(String.join(", ", details)).append(")");
            out.add(g.toString());
        }
        return out;
    }
}
