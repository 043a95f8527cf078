package dev.tinygen.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BackendTest {
    @Test
    void namesTheCpuBackendAndOpenBlas() {
        String line = Backend.describe();
        assertTrue(line.startsWith("backend CPU (nd4j-native), BLAS OPENBLAS, "), line);
        assertTrue(line.matches(".*, \\d+ OMP threads, \\d+ cores, dtype FLOAT, OMP_WAIT_POLICY=\\S+"), line);
        assertTrue(line.contains("OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset")), line);
    }

    @Test
    void cudaLineNamesTheDevice() {
        Properties env = new Properties();
        env.put("backend", "CUDA");
        env.put("blas.vendor", "CUBLAS");
        env.put("omp.threads", 16);
        env.put("cores", 16);
        env.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", "NVIDIA H100 80GB HBM3",
                "cuda.deviceMajor", 9, "cuda.deviceMinor", 0, "cuda.totalMemory", 85L << 30)));
        assertEquals("backend CUDA (nd4j-cuda), BLAS CUBLAS, 16 OMP threads, 16 cores, device NVIDIA H100 80GB HBM3 "
                        + "(sm 9.0, 85 GiB), dtype FLOAT, OMP_WAIT_POLICY=unset",
                Backend.describe(env, "org.nd4j.linalg.jcublas.JCublasBackend", DataType.FLOAT, null));
    }
}
