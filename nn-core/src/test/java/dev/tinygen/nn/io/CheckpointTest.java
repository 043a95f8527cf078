package dev.tinygen.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    @TempDir Path dir;

    /** A safetensors file from a header and data given verbatim, for files no correct writer would produce. */
    static byte[] craft(String headerJson, byte[] data) {
        byte[] j = headerJson.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + j.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(j.length).put(j).put(data).array();
    }

    /** Every parameter's and buffer's value, to prove a refused load changed nothing. */
    private static List<double[]> snapshot(Module m) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) out.add(p.value().dup().castTo(DataType.DOUBLE).data().asDouble());
        for (INDArray b : m.namedBuffers().values()) out.add(b.dup().castTo(DataType.DOUBLE).data().asDouble());
        return out;
    }

    private static void assertSame(List<double[]> before, Module m) {
        List<double[]> now = snapshot(m);
        assertEquals(before.size(), now.size());
        for (int i = 0; i < before.size(); i++)
            assertArrayEquals(before.get(i), now.get(i), "parameter or buffer " + i + " changed");
    }

    private static void assertRefused(Path f, Module m, FakeOptimizer opt, String... expectedParts) {
        List<double[]> before = snapshot(m);
        Map<String, INDArray> optBefore = opt == null ? null : opt.state();
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, m, opt));
        assertTrue(e.getMessage().startsWith("checkpoint " + f), e.getMessage());
        for (String part : expectedParts) assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        assertSame(before, m);
        if (opt != null) assertEquals(optBefore, opt.state(), "optimizer state changed");
    }

    @Test
    void roundTripRestoresParametersOptimizerAndMetadataExactly() throws Exception {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            TinyModel a = new TinyModel(t, 1);
            FakeOptimizer optA = new FakeOptimizer(a, 5);
            Path f = dir.resolve("m-" + t + ".safetensors");
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("config", "{\"nEmbd\": 128}");
            meta.put("step", "400");
            meta.put("rng", Long.toString(-1234567890123L));
            Checkpoint.save(f, a, optA, meta);

            TinyModel b = new TinyModel(t, 2);
            FakeOptimizer optB = new FakeOptimizer(b, 0);
            assertNotEquals(a.fc.weight.value(), b.fc.weight.value());
            Map<String, String> got = Checkpoint.load(f, b, optB);
            assertEquals(meta, got);
            assertEquals(List.copyOf(meta.keySet()), List.copyOf(got.keySet()), "metadata order kept");
            for (String k : a.namedParameters().keySet()) {
                INDArray x = a.namedParameters().get(k).value();
                INDArray y = b.namedParameters().get(k).value();
                assertEquals(x, y, k);
                assertArrayEquals(x.dup().data().asBytes(), y.dup().data().asBytes(), k + " bit for bit");
            }
            assertEquals(optA.state(), optB.state());
            assertEquals(meta, Checkpoint.readMetadata(f));
        }
    }

    @Test
    void buffersAreSavedAfterParametersAndRestoredExactly() throws Exception {
        NormModel a = new NormModel(1);
        Path f = dir.resolve("norm.safetensors");
        Checkpoint.save(f, a, null, Map.of("step", "3"));
        assertEquals(List.of("fc.weight", "fc.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"),
                List.copyOf(SafeTensors.readHeader(f).tensors().keySet()));
        NormModel b = new NormModel(2);
        assertNotEquals(a.bn.runningMean(), b.bn.runningMean());
        assertEquals(Map.of("step", "3"), Checkpoint.load(f, b, null));
        for (String k : a.namedBuffers().keySet())
            assertArrayEquals(a.namedBuffers().get(k).dup().data().asBytes(), b.namedBuffers().get(k).dup().data().asBytes(), k);
        assertEquals(a.fc.weight().value(), b.fc.weight().value());

        NormModel d = new NormModel(3);
        d.to(DataType.DOUBLE);  // an F32 file loads into float64 buffers as into float64 parameters
        Checkpoint.load(f, d, null);
        assertEquals(DataType.DOUBLE, d.bn.runningVar().dataType());
        assertEquals(a.bn.runningVar().castTo(DataType.DOUBLE), d.bn.runningVar());
    }

    /** Buffers come after the parameters in the file: a bad buffer must still be found before any parameter changes. */
    @Test
    void badOrMissingBufferIsRefusedAndChangesNeitherParametersNorBuffers() throws Exception {
        NormModel a = new NormModel(1);
        NormModel b = new NormModel(2);
        Map<String, INDArray> t = new LinkedHashMap<>();
        a.namedParameters().forEach((k, p) -> t.put(k, p.value()));
        t.putAll(a.namedBuffers());
        t.put("bn.running_var", Nd4j.ones(DataType.FLOAT, 5));
        Path f = dir.resolve("badbuf.safetensors");
        SafeTensors.write(f, t, Map.of());
        assertRefused(f, b, null, "'bn.running_var' is [5] in the file, the module's buffer is [4]");

        t.put("bn.running_var", Nd4j.ones(DataType.INT, 4));
        SafeTensors.write(f, t, Map.of());
        assertRefused(f, b, null, "'bn.running_var' is I32 in the file, which cannot load into the module's FLOAT buffer");

        t.remove("bn.running_var");
        SafeTensors.write(f, t, Map.of());
        assertRefused(f, b, null, "missing 1 of the module's 2 buffers: 'bn.running_var'");

        TinyModel noBuffers = new TinyModel(DataType.FLOAT, 1);
        Path g = dir.resolve("nobuf.safetensors");
        Checkpoint.save(g, noBuffers, null, Map.of());
        assertRefused(g, new NormModel(4), null, "missing 2 of the module's 4 parameters: 'bn.weight', 'bn.bias'");
    }

    /** A file written before buffers existed holds parameters only (and, from tools, maybe no checksum). */
    @Test
    void checkpointWithoutBuffersStillLoadsIntoABufferFreeModule() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Map<String, INDArray> t = new LinkedHashMap<>();
        a.namedParameters().forEach((k, p) -> t.put(k, p.value()));
        Path f = dir.resolve("old.safetensors");
        SafeTensors.write(f, t, Map.of("step", "7"));
        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        assertEquals(Map.of("step", "7"), Checkpoint.load(f, b, null));
        for (String k : t.keySet()) assertEquals(t.get(k), b.namedParameters().get(k).value(), k);
        Checkpoint.save(f, a, null, Map.of());
        assertEquals(List.copyOf(t.keySet()), List.copyOf(SafeTensors.readHeader(f).tensors().keySet()),
                "a buffer-free module writes the same tensors as before");
    }

    @Test
    void fileUsesParameterNamesAndOptimizerPrefix() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("names.safetensors");
        Checkpoint.save(f, a, new FakeOptimizer(a, 1), Map.of());
        // Module.namedParameters(): a module's own parameters first, then its children's.
        assertEquals(List.of("scale", "fc.weight", "fc.bias", "optimizer.step", "optimizer.m.scale",
                "optimizer.m.fc.weight", "optimizer.m.fc.bias"), List.copyOf(SafeTensors.readHeader(f).tensors().keySet()));
        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        Checkpoint.load(f, b, null);  // weights only: optimizer entries are not "unexpected"
        assertEquals(a.scale.value(), b.scale.value());
    }

    @Test
    void float64FileLoadsIntoFloat32Model() throws Exception {
        TinyModel d = new TinyModel(DataType.DOUBLE, 1);
        Path f = dir.resolve("d.safetensors");
        Checkpoint.save(f, d, null, null);
        TinyModel s = new TinyModel(DataType.FLOAT, 2);
        Checkpoint.load(f, s, null);
        assertEquals(DataType.FLOAT, s.fc.weight.dtype());
        assertEquals(d.fc.weight.value().castTo(DataType.FLOAT), s.fc.weight.value());
    }

    @Test
    void loadsIntoParametersThatAreViewsOfOneBuffer() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("flat.safetensors");
        INDArray values = Nd4j.zeros(DataType.FLOAT, a.parameterCount());
        INDArray grads = Nd4j.zeros(DataType.FLOAT, a.parameterCount());
        long at = 0;
        for (Parameter p : a.parameters()) {
            long n = p.value().length();
            p.rebind(values.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(at, at + n)).reshape(p.shape()),
                    grads.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(at, at + n)).reshape(p.shape()));
            at += n;
        }
        Checkpoint.save(f, a, null, Map.of());  // saving views writes their elements, not the whole buffer
        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        Checkpoint.load(f, b, null);
        assertEquals(a.fc.bias.value(), b.fc.bias.value());
        values.assign(0);
        Checkpoint.load(f, a, null);  // and loading assigns through the views
        assertEquals(b.scale.value(), a.scale.value());
    }

    @Test
    void truncatedAtAnyOffsetIsRefusedAndChangesNothing() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(good, a, null, Map.of("step", "1"));
        byte[] all = Files.readAllBytes(good);
        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        Path f = dir.resolve("cut.safetensors");
        for (int cut = 0; cut < all.length; cut++) {
            Files.write(f, Arrays.copyOf(all, cut));
            assertRefused(f, b, null);
        }
        Files.write(f, Arrays.copyOf(all, 5));
        assertRefused(f, b, null, "5 bytes");
        int headerEnd = 8 + (int) ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Files.write(f, Arrays.copyOf(all, headerEnd + 10));
        assertRefused(f, b, null, "header says 32 bytes for 'scale' (data_offsets [0, 32]), file has 10 left");
        Files.write(f, Arrays.copyOf(all, all.length + 4));  // trailing bytes are damage too
        assertRefused(f, b, null, "cover only");
    }

    @Test
    void lyingHeaderLengthFailsWithoutAllocatingIt() throws Exception {
        TinyModel m = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("liar.safetensors");
        Files.write(f, ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).array());
        assertRefused(f, m, null, "header length says 4611686018427387904 bytes, but only 4088 bytes follow it");
        Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(-2L).array());
        assertRefused(f, m, null, "header length says 18446744073709551614 bytes");
        Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1).array());
        assertRefused(f, m, null, "cannot hold a JSON object");
    }

    @Test
    void malformedHeadersAreRefused() throws Exception {
        TinyModel m = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("bad.safetensors");
        String[][] cases = {
            {"{\"a\": [1, 2", "not valid JSON"},
            {"[1, 2, 3]", "does not start with '{'"},
            {"{\"a\": 3}", "tensor 'a': entry is not a JSON object"},
            {"{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'a': no dtype"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "non-negative integers, got [-1]"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "non-negative integers"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", "data_offsets must be an array of 2"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "[4, 0] end before they begin"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                    + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "Duplicate field 'a'"},
            {"{\"__metadata__\": {\"step\": 3}}", "metadata 'step' is 3, not a string"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 8], \"data_offsets\": [0, 4]}}", "is too large"},
        };
        for (String[] c : cases) {
            Files.write(f, craft(c[0], new byte[4]));
            assertRefused(f, m, null, c[1]);
        }
        Files.write(f, craft("{\"a\": \"\u00ff\"}", new byte[0]));
        byte[] bad = Files.readAllBytes(f);
        bad[bad.length - 3] = (byte) 0xff;  // not UTF-8
        Files.write(f, bad);
        assertRefused(f, m, null, "not valid UTF-8");
    }

    @Test
    void offsetsOutOfBoundsOverlappingOrLeavingGapsAreRefused() throws Exception {
        TinyModel m = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("offsets.safetensors");
        String e = "\"%s\": {\"dtype\": \"F32\", \"shape\": [%d], \"data_offsets\": [%d, %d]}";
        Files.write(f, craft("{" + e.formatted("wte", 262144, 0, 1048576) + "}", new byte[4096]));
        assertRefused(f, m, null, "header says 1048576 bytes for 'wte' (data_offsets [0, 1048576]), file has 4096 left");
        Files.write(f, craft("{" + e.formatted("a", 2, 0, 8) + "," + e.formatted("b", 2, 4, 12) + "}", new byte[12]));
        assertRefused(f, m, null, "'b' (data_offsets [4, 12]) overlaps 'a' (data_offsets [0, 8])");
        Files.write(f, craft("{" + e.formatted("a", 1, 0, 4) + "," + e.formatted("b", 1, 8, 12) + "}", new byte[12]));
        assertRefused(f, m, null, "bytes [4, 8) of the data section belong to no tensor");
        Files.write(f, craft("{" + e.formatted("a", 2, 0, 12) + "}", new byte[12]));
        assertRefused(f, m, null, "tensor 'a' is F32 [2], which takes 8 bytes, but data_offsets [0, 12] span 12");
    }

    /** A copy of a good checkpoint of {@code m}'s layout with one tensor's entry replaced. */
    private Path withEntry(TinyModel m, String name, String entry, int dataBytesDelta) throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> t.put(k, p.value()));
        if (entry == null) t.remove(name);
        StringBuilder json = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long at = 0;
        for (var e : t.entrySet()) {
            long n = e.getValue().length() * 4;
            if (e.getKey().equals(name)) n += dataBytesDelta;
            String body = e.getKey().equals(name) ? entry : "\"dtype\": \"F32\", \"shape\": " + Arrays.toString(e.getValue().shape());
            json.append("\"%s\": {%s, \"data_offsets\": [%d, %d]},".formatted(e.getKey(), body, at, at + n));
            data.write(new byte[(int) n]);
            at += n;
        }
        json.setCharAt(json.length() - 1, '}');
        Path f = dir.resolve("entry.safetensors");
        Files.write(f, craft(json.toString(), data.toByteArray()));
        return f;
    }

    @Test
    void checkpointThatDoesNotFitTheModuleIsRefused() throws Exception {
        TinyModel m = new TinyModel(DataType.FLOAT, 1);
        assertRefused(withEntry(m, "fc.weight", "\"dtype\": \"F32\", \"shape\": [4, 3]", 0), m, null,
                "'fc.weight' is [4, 3] in the file, the module's parameter is [3, 4]");
        assertRefused(withEntry(m, "fc.bias", "\"dtype\": \"I32\", \"shape\": [4]", 0), m, null,
                "'fc.bias' is I32 in the file, which cannot load into the module's FLOAT parameter");
        assertRefused(withEntry(m, "fc.bias", null, 0), m, null, "missing 1 of the module's 3 parameters: 'fc.bias'");
        assertRefused(withEntry(m, "fc.bias", "\"dtype\": \"F32\", \"shape\": [4]", 4), m, null,
                "tensor 'fc.bias' is F32 [4], which takes 16 bytes, but data_offsets [80, 100] span 20");

        Map<String, INDArray> extra = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> extra.put(k, p.value().mul(2)));
        extra.put("lm_head.weight", Nd4j.zeros(2, 2));
        Path f = dir.resolve("extra.safetensors");
        SafeTensors.write(f, extra, Map.of());
        assertRefused(f, m, null, "1 tensors the module does not have: 'lm_head.weight'");
        Checkpoint.load(f, m, null, true);
        assertEquals(extra.get("scale"), m.scale.value());
    }

    @Test
    void optimizerStateThatDoesNotFitIsRefusedBeforeAnyParameterChanges() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("opt.safetensors");
        Checkpoint.save(f, a, null, Map.of());
        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        assertRefused(f, b, new FakeOptimizer(b, 3), "optimizer state does not fit", "pass a null optimizer");

        Map<String, INDArray> t = new LinkedHashMap<>();
        a.namedParameters().forEach((k, p) -> t.put(k, p.value()));
        new FakeOptimizer(a, 1).state().forEach((k, v) -> t.put("optimizer." + k, v));
        t.put("optimizer.m.scale", Nd4j.zeros(DataType.FLOAT, 3));
        SafeTensors.write(f, t, Map.of());
        assertRefused(f, b, new FakeOptimizer(b, 3), "optimizer state 'm.scale': expected FLOAT [2, 2, 2], got FLOAT [3]");
    }

    @Test
    void missingFileAndNameCollisionsAreClear() throws Exception {
        TinyModel m = new TinyModel(DataType.FLOAT, 1);
        assertRefused(dir.resolve("nope.safetensors"), m, null, "no such file");
        Module clash = new Module() {
            final Module optimizer = register("optimizer", new Module() {
                final Parameter x = register("x", new Parameter(Nd4j.zeros(1)));
            });
        };
        FakeOptimizer opt = new FakeOptimizer(m, 1) {
            @Override public Map<String, INDArray> state() {
                return Map.of("x", Nd4j.zeros(1));
            }
        };
        Path f = dir.resolve("c.safetensors");
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(f, clash, opt, Map.of()));
        assertTrue(e.getMessage().contains("'optimizer.x', which is also a parameter's or buffer's name"), e.getMessage());
        assertTrue(Files.notExists(f));
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        TinyModel a = new TinyModel(DataType.FLOAT, 1);
        Path f = dir.resolve("run.safetensors");
        Checkpoint.save(f, a, null, Map.of("step", "1"));
        byte[] before = Files.readAllBytes(f);

        TinyModel b = new TinyModel(DataType.FLOAT, 2);
        Map<String, INDArray> t = new LinkedHashMap<>();
        b.namedParameters().forEach((k, p) -> t.put(k, p.value()));
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        SafeTensors.write(Channels.newChannel(full), t, Map.of("step", "2"));
        byte[] half = Arrays.copyOf(full.toByteArray(), full.size() / 2);
        var e = assertThrows(IOException.class, () -> AtomicFile.write(f, ch -> {
            ch.write(ByteBuffer.wrap(half));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "temporary files left behind");
        }

        Map<String, String> badMeta = new LinkedHashMap<>();
        badMeta.put("step", null);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(f, b, null, badMeta));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(Map.of("step", "1"), Checkpoint.load(f, b, null));
        assertEquals(a.fc.weight.value(), b.fc.weight.value());

        Checkpoint.save(f, b, null, Map.of("step", "2"));  // and a successful save replaces it
        assertEquals(Map.of("step", "2"), Checkpoint.readMetadata(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
