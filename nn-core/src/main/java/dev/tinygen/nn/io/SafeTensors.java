package dev.tinygen.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The safetensors file format, read and written exactly as the reference implementation does, so PyTorch,
 * JAX and other tools load tinygen's weights and tinygen loads theirs.
 *
 * <pre>
 * [8 bytes]  N, the header length, unsigned little-endian
 * [N bytes]  UTF-8 JSON, padded with spaces to a multiple of 8:
 *            {"__metadata__": {"key": "value", ...},
 *             "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 * [rest]     the tensors' raw little-endian bytes, row-major; offsets count from the start of this section,
 *            and the tensors tile it exactly, with no gap and no overlap
 * </pre>
 *
 * Shape: every tensor keeps its own shape, rank 0 (a scalar) and zero-sized dimensions included.
 *
 * <p>Reading validates the whole header against the file's size before allocating anything for the tensors, so
 * a corrupted or hostile file fails with a {@link CheckpointException} naming the problem, never with an
 * {@code OutOfMemoryError}.
 */
public final class SafeTensors {
    /** The reference reader refuses larger headers; so do we, which bounds what a lying length can allocate. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafeTensors() {}

    /** Element types of the format, with their byte sizes and the ND4J type that holds them (null if none). */
    public enum Dtype {
        BOOL(1, DataType.BOOL), U8(1, DataType.UBYTE), I8(1, DataType.BYTE),
        F8_E5M2(1, null), F8_E4M3(1, null),
        I16(2, DataType.SHORT), U16(2, DataType.UINT16), F16(2, DataType.HALF), BF16(2, DataType.BFLOAT16),
        I32(4, DataType.INT), U32(4, DataType.UINT32), F32(4, DataType.FLOAT),
        I64(8, DataType.LONG), U64(8, DataType.UINT64), F64(8, DataType.DOUBLE);

        private final int size;
        private final DataType nd4j;

        Dtype(int size, DataType nd4j) {
            this.size = size;
            this.nd4j = nd4j;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** The ND4J type of the same layout, or null for the 8-bit floats ND4J lacks. */
        public DataType nd4j() {
            return nd4j;
        }

        public boolean isFloating() {
            return this == F16 || this == BF16 || this == F32 || this == F64 || this == F8_E5M2 || this == F8_E4M3;
        }

        /** The safetensors name of an ND4J type. */
        public static Dtype of(DataType t) {
            for (Dtype d : values()) if (d.nd4j == t) return d;
            throw new IllegalArgumentException("safetensors has no element type for ND4J's " + t);
        }

        static Dtype parse(String name) {
            for (Dtype d : values()) if (d.name().equals(name)) return d;
            return null;
        }
    }

    /** One tensor's header entry: its type, shape and byte range within the data section. */
    public record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        public long byteLength() {
            return end - begin;
        }

        @Override
        public String toString() {
            return "'%s' %s %s [%d, %d)".formatted(name, dtype, Arrays.toString(shape), begin, end);
        }
    }

    /**
     * A validated header: every entry's type is known, its byte range matches its shape and lies inside the
     * file, and the ranges tile the data section.
     */
    public record Header(Map<String, String> metadata, Map<String, Entry> tensors, long headerLength, long fileSize) {
        /** Byte offset in the file where the data section starts. */
        public long dataStart() {
            return 8 + headerLength;
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Writes the tensors, in map order, and the metadata to {@code file}, atomically: a temporary file in the
     * same directory is written, forced to disk, and renamed over {@code file}.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFile.write(file, ch -> writeBody(ch, header, tensors));
    }

    /** Writes the file's bytes to a channel (not atomic: for streams, sockets and tests). */
    public static void write(WritableByteChannel out, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        writeBody(out, header(tensors, metadata), tensors);
    }

    /** The header JSON padded with spaces to a multiple of 8 bytes, as the reference writer pads it. */
    static byte[] header(Map<String, INDArray> tensors, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            for (var e : metadata.entrySet())
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("safetensors metadata: null key or value in " + metadata);
            json.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            INDArray a = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY))
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            if (a == null) throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            Dtype d = Dtype.of(a.dataType());
            long bytes = Math.multiplyExact(a.length(), (long) d.size());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", d.name());
            entry.put("shape", a.shape());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            json.put(name, entry);
            offset += bytes;
        }
        byte[] raw;
        try {
            raw = JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("safetensors: cannot encode the header: " + ex.getOriginalMessage(), ex);
        }
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    private static void writeBody(WritableByteChannel out, byte[] header, Map<String, INDArray> tensors)
            throws IOException {
        requireLittleEndianHost();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        writeFully(out, len);
        writeFully(out, ByteBuffer.wrap(header));
        for (var e : tensors.entrySet()) {
            INDArray a = e.getValue();
            if (a.length() == 0) continue;
            writeFully(out, rawBytes(e.getKey(), a));
        }
    }

    /** The array's elements in row-major order, read straight from its native memory. */
    private static ByteBuffer rawBytes(String name, INDArray a) {
        long bytes = a.length() * a.dataType().width();
        if (bytes > Integer.MAX_VALUE)
            throw new IllegalArgumentException("safetensors: tensor '%s' has %d bytes; at most %d per tensor are supported"
                    .formatted(name, bytes, Integer.MAX_VALUE));
        INDArray c = a;
        if (a.isView() || a.ordering() != 'c' || a.data().length() != a.length()) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                c = a.dup('c');
            }
        }
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        ByteBuffer b = c.data().asNio().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.clear();
        b.limit((int) bytes);
        return b;
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }

    private static void requireLittleEndianHost() {
        // ND4J keeps arrays in native byte order, which the raw copies in and out rely on.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
            throw new UnsupportedOperationException("safetensors: big-endian hosts are not supported");
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** Reads every tensor of a file (into arrays outside any workspace) in header order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(ch, file);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Entry e : h.tensors().values()) out.put(e.name(), readTensor(ch, h, e, file));
            return out;
        }
    }

    /** Reads and validates only the header: names, types, shapes and metadata, without the tensor data. */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            return readHeader(ch, file);
        }
    }

    static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException ex) {
            throw new CheckpointException(file, "no such file", ex);
        }
    }

    /** Reads and validates the header of an open file; {@code file} only names it in messages. */
    public static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) throw new CheckpointException(file, "file is %d bytes, too short for the 8-byte header length".formatted(size));
        ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lb, 0, file, "header length");
        long n = lb.getLong(0);
        if (n < 0 || n > size - 8)
            throw new CheckpointException(file, "header length says %s bytes, but only %d bytes follow it"
                    .formatted(Long.toUnsignedString(n), size - 8));
        if (n > MAX_HEADER_BYTES)
            throw new CheckpointException(file, "header length %d exceeds the limit of %d bytes".formatted(n, MAX_HEADER_BYTES));
        if (n < 2) throw new CheckpointException(file, "header of %d bytes cannot hold a JSON object".formatted(n));
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, file, "header");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
        } catch (CharacterCodingException ex) {
            throw new CheckpointException(file, "header is not valid UTF-8", ex);
        }
        if (text.charAt(0) != '{') throw new CheckpointException(file, "header does not start with '{'");
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException ex) {
            throw new CheckpointException(file, "header is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(file, "header is not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        long dataLength = size - 8 - n;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA_KEY)) {
                readMetadata(f.getValue(), metadata, file);
            } else {
                Entry e = parseEntry(f.getKey(), f.getValue(), file);
                checkEntry(e, dataLength, file);
                tensors.put(e.name(), e);
            }
        }
        checkTiling(tensors.values(), dataLength, file);
        return new Header(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors), n, size);
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, Path file) throws CheckpointException {
        if (!node.isObject()) throw new CheckpointException(file, "__metadata__ is not a JSON object");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual())
                throw new CheckpointException(file, "metadata '%s' is %s, not a string".formatted(m.getKey(), m.getValue()));
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry parseEntry(String name, JsonNode node, Path file) throws CheckpointException {
        if (!node.isObject()) throw new CheckpointException(file, "tensor '%s': entry is not a JSON object".formatted(name));
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) throw new CheckpointException(file, "tensor '%s': no dtype string".formatted(name));
        Dtype dtype = Dtype.parse(dt.textValue());
        if (dtype == null)
            throw new CheckpointException(file, "tensor '%s': unknown dtype '%s' (known: %s)"
                    .formatted(name, dt.textValue(), Arrays.toString(Dtype.values())));
        long[] shape = longs(node.get("shape"), -1, name, "shape", file);
        long[] offsets = longs(node.get("data_offsets"), 2, name, "data_offsets", file);
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers that fit a long, of the given length (or any, if -1). */
    private static long[] longs(JsonNode node, int length, String name, String field, Path file) throws CheckpointException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length))
            throw new CheckpointException(file, "tensor '%s': %s must be an array of %s non-negative integers, got %s"
                    .formatted(name, field, length >= 0 ? String.valueOf(length) : "", node));
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0)
                throw new CheckpointException(file, "tensor '%s': %s must hold non-negative integers, got %s"
                        .formatted(name, field, node));
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkEntry(Entry e, long dataLength, Path file) throws CheckpointException {
        if (e.end() < e.begin())
            throw new CheckpointException(file, "tensor '%s': data_offsets [%d, %d] end before they begin"
                    .formatted(e.name(), e.begin(), e.end()));
        if (e.end() > dataLength)
            throw new CheckpointException(file, "header says %d bytes for '%s' (data_offsets [%d, %d]), file has %d left"
                    .formatted(e.byteLength(), e.name(), e.begin(), e.end(), Math.max(0, dataLength - e.begin())));
        long bytes;
        try {
            long count = 1;
            for (long s : e.shape()) count = Math.multiplyExact(count, s);
            bytes = Math.multiplyExact(count, (long) e.dtype().size());
        } catch (ArithmeticException ex) {
            throw new CheckpointException(file, "tensor '%s': shape %s is too large".formatted(e.name(), Arrays.toString(e.shape())));
        }
        if (bytes != e.byteLength())
            throw new CheckpointException(file, "tensor '%s' is %s %s, which takes %d bytes, but data_offsets [%d, %d] span %d"
                    .formatted(e.name(), e.dtype(), Arrays.toString(e.shape()), bytes, e.begin(), e.end(), e.byteLength()));
    }

    /** The byte ranges must cover the data section exactly once, as the reference reader demands. */
    private static void checkTiling(Iterable<Entry> entries, long dataLength, Path file) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered)
                throw new CheckpointException(file, "tensor '%s' (data_offsets [%d, %d]) overlaps '%s' (data_offsets [%d, %d])"
                        .formatted(e.name(), e.begin(), e.end(), previous.name(), previous.begin(), previous.end()));
            if (e.begin() > covered)
                throw new CheckpointException(file, "bytes [%d, %d) of the data section belong to no tensor (next is '%s')"
                        .formatted(covered, e.begin(), e.name()));
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength)
            throw new CheckpointException(file, "the data section is %d bytes but the tensors cover only %d"
                    .formatted(dataLength, covered));
    }

    /**
     * Reads one tensor of a validated header into a new array of its own type, allocated outside any workspace.
     */
    public static INDArray readTensor(FileChannel ch, Header h, Entry e, Path file) throws IOException {
        requireLittleEndianHost();
        DataType t = e.dtype().nd4j();
        if (t == null) throw new CheckpointException(file, "tensor '%s' has dtype %s, which ND4J cannot hold".formatted(e.name(), e.dtype()));
        if (e.byteLength() > Integer.MAX_VALUE)
            throw new CheckpointException(file, "tensor '%s' has %d bytes; at most %d per tensor are supported"
                    .formatted(e.name(), e.byteLength(), Integer.MAX_VALUE));
        INDArray a;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = Nd4j.createUninitialized(t, e.shape(), 'c');
        }
        if (e.byteLength() > 0) {
            ByteBuffer dst = a.data().asNio().duplicate();
            dst.clear();
            dst.limit((int) e.byteLength());
            readFully(ch, dst, h.dataStart() + e.begin(), file, "tensor '" + e.name() + "'");
            Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
        }
        return a;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file, String what) throws IOException {
        while (dst.hasRemaining()) {
            int r = ch.read(dst, position);
            if (r < 0)
                throw new CheckpointException(file, "%s: file ends at byte %d, %d bytes short".formatted(what, position, dst.remaining()),
                        new EOFException());
            position += r;
        }
    }
}
