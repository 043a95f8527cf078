package dev.tinygen.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Rng;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class SafeTensorsTest {
    @TempDir Path dir;

    private static byte[] bytesOf(Map<String, INDArray> tensors, Map<String, String> meta) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(Channels.newChannel(out), tensors, meta);
        return out.toByteArray();
    }

    @Test
    void tinyFileHasExactlyTheReferenceBytes() throws Exception {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("a", Nd4j.createFromArray(1.0f, -2.5f));
        t.put("b", Nd4j.createFromArray(7L));
        byte[] got = bytesOf(t, Map.of("step", "3"));

        String json = "{\"__metadata__\":{\"step\":\"3\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer want = ByteBuffer.allocate(8 + padded + 16).order(ByteOrder.LITTLE_ENDIAN);
        want.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
        while (want.position() < 8 + padded) want.put((byte) ' ');
        want.putFloat(1.0f).putFloat(-2.5f).putLong(7L);
        assertArrayEquals(want.array(), got);
    }

    @Test
    void independentReaderParsesWhatWeWrite() throws Exception {
        Rng rng = new Rng(3);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("w", rng.normal(DataType.FLOAT, 1, 3, 5));
        t.put("d", rng.normal(DataType.DOUBLE, 1, 4));
        t.put("i", Nd4j.createFromArray(new int[] {-1, 0, 1 << 30}));
        byte[] b = bytesOf(t, Map.of());
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) bb.getLong(0);
        assertEquals(0, n % 8, "header length is padded to a multiple of 8");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> h = new ObjectMapper().readValue(new String(b, 8, n, StandardCharsets.UTF_8), Map.class);
        assertEquals(List.of("w", "d", "i"), List.copyOf(h.keySet()), "no __metadata__ when there is none, names in order");
        assertEquals(List.of(0, 60), h.get("w").get("data_offsets"));
        assertEquals(List.of(60, 92), h.get("d").get("data_offsets"));
        assertEquals(List.of(92, 104), h.get("i").get("data_offsets"));
        assertEquals(8 + n + 104, b.length);
        int data = 8 + n;
        for (int k = 0; k < 15; k++) assertEquals(t.get("w").getFloat(k / 5, k % 5), bb.getFloat(data + 4 * k));
        for (int k = 0; k < 4; k++) assertEquals(t.get("d").getDouble(k), bb.getDouble(data + 60 + 8 * k));
        assertEquals(1 << 30, bb.getInt(data + 92 + 8));
    }

    @Test
    void everyTypeShapeAndLayoutRoundTripsBitForBit() throws Exception {
        Rng rng = new Rng(5);
        Map<String, INDArray> t = new LinkedHashMap<>();
        INDArray special = Nd4j.createFromArray(Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e-300, Math.PI);
        t.put("f64", special);
        t.put("f32", Nd4j.createFromArray(Float.NaN, -0.0f, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 3.25f));
        for (DataType d : new DataType[] {DataType.HALF, DataType.BFLOAT16, DataType.INT, DataType.LONG, DataType.SHORT,
                DataType.BYTE, DataType.UBYTE, DataType.UINT16, DataType.UINT32, DataType.BOOL})
            t.put(d.name(), Nd4j.createFromArray(0.0, 1.0, 2.0, 3.0, 7.0, 0.0).reshape(2, 3).castTo(d));
        t.put("scalar", Nd4j.scalar(DataType.FLOAT, 2.5f));
        t.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
        INDArray big = rng.normal(DataType.FLOAT, 1, 4, 6);
        t.put("view", big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5)));  // (2, 3), strided
        t.put("fortran", rng.normal(DataType.DOUBLE, 1, 3, 4).dup('f'));
        t.put("rank4", rng.normal(DataType.FLOAT, 1, 2, 1, 3, 2));

        Path f = dir.resolve("all.safetensors");
        SafeTensors.write(f, t, Map.of("k", "v", "unicode", "naïve ✓"));
        Map<String, INDArray> back = SafeTensors.read(f);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(back.keySet()));
        for (String k : t.keySet()) {
            INDArray a = t.get(k);
            INDArray b = back.get(k);
            assertEquals(a.dataType(), b.dataType(), k);
            assertArrayEquals(a.shape(), b.shape(), k);
            assertArrayEquals(rawBits(a), rawBits(b), k);
        }
        assertEquals(Map.of("k", "v", "unicode", "naïve ✓"), SafeTensors.readHeader(f).metadata());
    }

    /** Element values as exact bit patterns, read through the typed getters, independent of the byte layout. */
    private static long[] rawBits(INDArray a) {
        INDArray flat = a.dup('c').reshape(a.length());
        long[] out = new long[(int) a.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (a.dataType()) {
                case DOUBLE -> Double.doubleToRawLongBits(flat.getDouble(i));
                case FLOAT -> Float.floatToRawIntBits(flat.getFloat(i));
                default -> Double.doubleToRawLongBits(flat.getDouble(i));
            };
        }
        return out;
    }

    @Test
    void readsAFileLaidOutByAnotherWriter() throws Exception {
        // Metadata last, entries not in offset order, extra spaces: all allowed by the format.
        String json = "{ \"z\": {\"dtype\":\"F64\", \"shape\":[], \"data_offsets\":[8,16]},"
                + " \"y\": {\"dtype\":\"I32\", \"shape\":[2], \"data_offsets\":[0,8]}, \"__metadata__\": {\"format\":\"pt\"} }";
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + j.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(j.length).put(j).putInt(-4).putInt(9).putDouble(0.125);
        Path f = dir.resolve("other.safetensors");
        Files.write(f, b.array());
        Map<String, INDArray> t = SafeTensors.read(f);
        assertEquals(0, t.get("z").rank());
        assertEquals(0.125, t.get("z").getDouble(0));
        assertArrayEquals(new int[] {-4, 9}, t.get("y").toIntVector());
        assertEquals(Map.of("format", "pt"), SafeTensors.readHeader(f).metadata());
    }

    @Test
    void badInputsToTheWriterNameTheProblem() {
        var utf8 = assertThrows(IllegalArgumentException.class,
                () -> bytesOf(Map.of("s", Nd4j.create("a", "b")), Map.of()));
        assertTrue(utf8.getMessage().contains("UTF8"), utf8.getMessage());
        var reserved = assertThrows(IllegalArgumentException.class,
                () -> bytesOf(Map.of("__metadata__", Nd4j.zeros(2)), Map.of()));
        assertTrue(reserved.getMessage().contains("__metadata__"), reserved.getMessage());
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("step", null);
        var meta = assertThrows(IllegalArgumentException.class, () -> bytesOf(Map.of("a", Nd4j.zeros(2)), nullValue));
        assertTrue(meta.getMessage().contains("null"), meta.getMessage());
    }

    @Test
    void unknownAndUnsupportedDtypesAreNamed() throws Exception {
        Path f = dir.resolve("f8.safetensors");
        Files.write(f, CheckpointTest.craft("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]));
        var e = assertThrows(CheckpointException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("'q'") && e.getMessage().contains("F8_E4M3"), e.getMessage());
        Files.write(f, CheckpointTest.craft("{\"q\":{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]));
        e = assertThrows(CheckpointException.class, () -> SafeTensors.readHeader(f));
        assertTrue(e.getMessage().contains("unknown dtype 'F128'"), e.getMessage());
        assertTrue(Arrays.asList(SafeTensors.Dtype.values()).contains(SafeTensors.Dtype.BF16));
    }
}
