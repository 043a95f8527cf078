package dev.tinygen.nn.io;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and restores a model (and optionally its optimizer) as one safetensors file.
 *
 * <ul>
 *   <li>Parameters are stored under their {@link Module#namedParameters()} names ({@code blocks.0.attn.weight}),
 *       buffers after them under their {@link Module#namedBuffers()} names ({@code bn1.running_mean}); a module
 *       without buffers writes and reads exactly the files it did before buffers existed.</li>
 *   <li>Optimizer state is stored under {@value #OPTIMIZER_PREFIX} followed by its own names
 *       ({@code optimizer.m.fc1.weight}, {@code optimizer.step}).</li>
 *   <li>Everything else a run needs to resume (configuration, tokenizer, step, RNG state) goes in the string
 *       metadata, which the caller encodes and {@link #readMetadata(Path)} returns without loading weights, so
 *       the model can be built from the saved configuration first.</li>
 * </ul>
 *
 * Saving is atomic: a crash leaves the previous file or the new one. Loading checks the whole file and its fit
 * to the module before it changes a single parameter or buffer: a refused file leaves the model and optimizer
 * untouched.
 *
 * <pre>{@code
 * Checkpoint.save(dir.resolve("gpt.safetensors"), model, optimizer, Map.of("step", "400", "config", json));
 * Map<String, String> meta = Checkpoint.load(dir.resolve("gpt.safetensors"), model, optimizer);
 * }</pre>
 */
public final class Checkpoint {
    /** Prefix of optimizer state entries in the file. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private Checkpoint() {}

    /**
     * Writes the module's parameters and buffers, the optimizer's state (if {@code optimizer} is not null) and the
     * metadata to {@code file}, replacing it atomically.
     */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) tensors.put(e.getKey(), e.getValue().value());
        // Module gives a parameter and a buffer of one module distinct names, and names hold no dots: no clash.
        tensors.putAll(model.namedBuffers());
        if (optimizer != null) {
            for (var e : optimizer.state().entrySet()) {
                String key = OPTIMIZER_PREFIX + e.getKey();
                if (tensors.put(key, e.getValue()) != null)
                    throw new IllegalArgumentException("checkpoint " + file + ": optimizer state '" + e.getKey()
                            + "' would be stored as '" + key + "', which is also a parameter's or buffer's name");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        if (meta.containsKey(CRC_KEY))
            throw new IllegalArgumentException("checkpoint " + file + ": the metadata key '" + CRC_KEY + "' is reserved");
        meta.put(CRC_KEY, String.format("%08x", dataCrc(tensors)));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Metadata key of the CRC-32 of the data section. Safetensors has no checksum of its own, so a flipped byte inside
     * a tensor would load as a valid file with another number; other readers ignore the entry.
     */
    public static final String CRC_KEY = "tinygen.crc32";

    /** CRC-32 of the bytes the writer puts after the header: serialise once into a channel that skips the header. */
    private static long dataCrc(Map<String, INDArray> tensors) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        SafeTensors.write(new java.nio.channels.WritableByteChannel() {
            private final java.nio.ByteBuffer prefix = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            private long headerLeft = -1;

            @Override
            public int write(java.nio.ByteBuffer src) {
                int n = src.remaining();
                while (src.hasRemaining()) {
                    if (headerLeft < 0) {
                        prefix.put(src.get());
                        if (!prefix.hasRemaining()) headerLeft = prefix.flip().getLong();
                    } else if (headerLeft > 0) {
                        int skip = (int) Math.min(headerLeft, src.remaining());
                        src.position(src.position() + skip);
                        headerLeft -= skip;
                    } else {
                        crc.update(src);
                    }
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        }, tensors, Map.of());
        return crc.getValue();
    }

    private static int differingChars(String a, String b) {
        int n = 0;
        for (int i = 0; i < a.length(); i++) if (a.charAt(i) != b.charAt(i)) n++;
        return n;
    }

    /** Checks the data section against the CRC in the metadata, when there is one (files from other tools have none). */
    private static void checkCrc(Path file, FileChannel ch, SafeTensors.Header h) throws IOException {
        String expected = h.metadata().get(CRC_KEY);
        if (expected == null) {
            // A file from another tool has no checksum; but a key a few flipped bytes away from ours is our entry
            // damaged, and taking the file as foreign would let damaged data through.
            for (String k : h.metadata().keySet())
                if (k.length() == CRC_KEY.length() && differingChars(k, CRC_KEY) <= 4)
                    throw new CheckpointException(file, "metadata key '" + k + "' looks like a damaged '" + CRC_KEY
                            + "' entry: the file was altered or damaged after it was written");
            return;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        long pos = h.dataStart();
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n < 0) break;
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        String actual = String.format("%08x", crc.getValue());
        if (!actual.equalsIgnoreCase(expected))
            throw new CheckpointException(file, "the tensor data's CRC-32 is " + actual + " but the header says " + expected
                    + ": the file was altered or damaged after it was written");
    }

    /** Loads a checkpoint that must hold exactly the module's parameters and buffers (plus optimizer state); see below. */
    public static Map<String, String> load(Path file, Module model, Optimizer optimizer) throws IOException {
        return load(file, model, optimizer, false);
    }

    /**
     * Restores the module's parameters and buffers, and the optimizer's state if {@code optimizer} is not null, from
     * {@code file}, and returns the file's metadata.
     *
     * <p>Every parameter and buffer of the module must be in the file with the same shape; a floating-point tensor
     * is converted to the parameter's or buffer's type (an F64 file loads into an F32 model). Tensors the module does not have
     * are refused unless {@code allowUnexpected}; optimizer entries are skipped when {@code optimizer} is null,
     * and otherwise handed to {@link Optimizer#loadState}, which decides whether they fit (an empty set included).
     * Nothing is changed unless the whole load succeeds.
     *
     * @throws CheckpointException if the file is damaged or does not fit the module or optimizer
     */
    public static Map<String, String> load(Path file, Module model, Optimizer optimizer, boolean allowUnexpected)
            throws IOException {
        // Parameters and buffers load alike: by name, into the module's arrays, after every check has passed.
        Map<String, INDArray> targets = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> targets.put(k, p.value()));
        Map<String, INDArray> buffers = model.namedBuffers();
        targets.putAll(buffers);
        try (FileChannel ch = SafeTensors.open(file)) {
            SafeTensors.Header h = SafeTensors.readHeader(ch, file);
            checkFit(file, h, targets, buffers.keySet(), allowUnexpected);
            checkCrc(file, ch, h);

            Map<String, INDArray> values = new LinkedHashMap<>();
            for (var t : targets.entrySet()) {
                INDArray a = SafeTensors.readTensor(ch, h, h.tensors().get(t.getKey()), file);
                DataType want = t.getValue().dataType();
                values.put(t.getKey(), a.dataType() == want ? a : a.castTo(want));
            }
            if (optimizer != null) {
                Map<String, INDArray> state = new LinkedHashMap<>();
                for (SafeTensors.Entry e : h.tensors().values())
                    if (isOptimizerEntry(e.name(), targets))
                        state.put(e.name().substring(OPTIMIZER_PREFIX.length()), SafeTensors.readTensor(ch, h, e, file));
                // The optimizer validates before it changes anything, so a refusal here still leaves all untouched.
                try {
                    optimizer.loadState(state);
                } catch (IllegalArgumentException | IllegalStateException ex) {
                    String hint = state.isEmpty() ? " (the file holds no '" + OPTIMIZER_PREFIX
                            + "*' tensors; pass a null optimizer to load the weights only)" : "";
                    throw new CheckpointException(file, "optimizer state does not fit: " + ex.getMessage() + hint, ex);
                }
            }
            for (var t : targets.entrySet()) t.getValue().assign(values.get(t.getKey()));
            return userMetadata(h.metadata());
        }
    }

    /** The caller's metadata: the file's, less the checksum entry this class adds. */
    private static Map<String, String> userMetadata(Map<String, String> m) {
        if (!m.containsKey(CRC_KEY)) return m;
        Map<String, String> copy = new LinkedHashMap<>(m);
        copy.remove(CRC_KEY);
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Deletes temporary files that a writer of {@code file} killed mid-write left beside it. Call it only when no other
     * process writes the same checkpoint (a training run, before its first save). Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path file) throws IOException {
        return AtomicFile.removeStaleTemporaries(file);
    }

    /** The metadata of a checkpoint (configuration, step...), without reading any tensor. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        return userMetadata(SafeTensors.readHeader(file).metadata());
    }

    private static boolean isOptimizerEntry(String name, Map<String, INDArray> targets) {
        return name.startsWith(OPTIMIZER_PREFIX) && !targets.containsKey(name);
    }

    /** {@code targets}: every parameter's and buffer's array by name; {@code bufferNames}: which of them are buffers. */
    private static void checkFit(Path file, SafeTensors.Header h, Map<String, INDArray> targets,
                                 java.util.Set<String> bufferNames, boolean allowUnexpected) throws CheckpointException {
        List<String> missingParams = new ArrayList<>();
        List<String> missingBuffers = new ArrayList<>();
        for (var t : targets.entrySet()) {
            boolean buffer = bufferNames.contains(t.getKey());
            String kind = buffer ? "buffer" : "parameter";
            SafeTensors.Entry e = h.tensors().get(t.getKey());
            if (e == null) {
                (buffer ? missingBuffers : missingParams).add("'" + t.getKey() + "'");
                continue;
            }
            long[] want = t.getValue().shape();
            if (!Arrays.equals(want, e.shape()))
                throw new CheckpointException(file, "'%s' is %s in the file, the module's %s is %s"
                        .formatted(e.name(), Arrays.toString(e.shape()), kind, Arrays.toString(want)));
            if (!e.dtype().isFloating() || e.dtype().nd4j() == null)
                throw new CheckpointException(file, "'%s' is %s in the file, which cannot load into the module's %s %s"
                        .formatted(e.name(), e.dtype(), t.getValue().dataType(), kind));
        }
        int buffers = bufferNames.size();
        int params = targets.size() - buffers;
        if (!missingParams.isEmpty())
            throw new CheckpointException(file, "missing %d of the module's %d parameters: %s"
                    .formatted(missingParams.size(), params, String.join(", ", missingParams)));
        if (!missingBuffers.isEmpty())
            throw new CheckpointException(file, "missing %d of the module's %d buffers: %s"
                    .formatted(missingBuffers.size(), buffers, String.join(", ", missingBuffers)));

        List<String> unexpected = new ArrayList<>();
        for (String name : h.tensors().keySet())
            if (!targets.containsKey(name) && !isOptimizerEntry(name, targets)) unexpected.add("'" + name + "'");
        if (!unexpected.isEmpty() && !allowUnexpected)
            throw new CheckpointException(file, "%d tensors the module does not have: %s (load with allowUnexpected to skip them)"
                    .formatted(unexpected.size(), String.join(", ", unexpected)));
    }
}
