package dev.tinygen.nn.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * IDX files, the format of MNIST and Fashion-MNIST: a magic number {@code 0x0000TTDD} (T the element type, D
 * the number of dimensions), D big-endian 32-bit sizes, then the elements, big-endian, row-major.
 *
 * <p>Files may be plain or gzipped; gzip is recognised by its magic number, not by the file's name. A file can
 * also be read straight out of a tar archive such as an npm package ({@link #readFromArchive}).
 *
 * <p>Shape: images N x H x W (ubyte) -> (N, H*W) float32 in [0, 1]; labels N (ubyte) -> int[N].
 */
public final class Idx {
    private Idx() {}

    /** Element types, by the third byte of the magic number. */
    public enum Type {
        UBYTE(0x08, 1, DataType.UBYTE), BYTE(0x09, 1, DataType.BYTE), SHORT(0x0B, 2, DataType.SHORT),
        INT(0x0C, 4, DataType.INT), FLOAT(0x0D, 4, DataType.FLOAT), DOUBLE(0x0E, 8, DataType.DOUBLE);

        final int code;
        final int size;
        final DataType nd4j;

        Type(int code, int size, DataType nd4j) {
            this.code = code;
            this.size = size;
            this.nd4j = nd4j;
        }

        static Type of(int code) {
            for (Type t : values()) if (t.code == code) return t;
            return null;
        }
    }

    /** A parsed file: where it came from, its element type and sizes, and its raw big-endian elements. */
    public record Data(String source, Type type, int[] dims, byte[] bytes) {
        /** The first size: the number of examples. */
        public int count() {
            return dims[0];
        }

        /** The elements as an array of their own type and shape (UBYTE stays UBYTE). */
        public INDArray toArray() {
            INDArray a = allocate(type.nd4j, Arrays.stream(dims).asLongStream().toArray());
            if (bytes.length == 0) return a;
            ByteBuffer dst = a.data().asNio().duplicate().order(ByteOrder.nativeOrder());
            dst.clear();
            ByteBuffer src = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
            switch (type) {
                case UBYTE, BYTE -> dst.put(src);
                case SHORT -> dst.asShortBuffer().put(src.asShortBuffer());
                case INT -> dst.asIntBuffer().put(src.asIntBuffer());
                case FLOAT -> dst.asFloatBuffer().put(src.asFloatBuffer());
                case DOUBLE -> dst.asDoubleBuffer().put(src.asDoubleBuffer());
            }
            Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
            return a;
        }
    }

    /** Reads an IDX file, plain or gzipped. */
    public static Data read(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        try (InputStream in = Tar.openMaybeGzip(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads an IDX stream, plain or gzipped; {@code source} names it in messages. */
    public static Data read(InputStream raw, String source) throws IOException {
        try {
            InputStream in = Tar.maybeGunzip(raw);
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4)
                throw new EOFException("%s: truncated: %d bytes, too short for the 4-byte IDX magic number".formatted(source, magic.length));
            Type type = Type.of(magic[2] & 0xff);
            int rank = magic[3] & 0xff;
            if (magic[0] != 0 || magic[1] != 0 || type == null || rank == 0)
                throw new IOException("%s: not an IDX file: magic number 0x%02x%02x%02x%02x, expected 0x0000TTDD with type TT in {08, 09, 0B, 0C, 0D, 0E} and DD >= 1 dimensions"
                        .formatted(source, magic[0], magic[1], magic[2], magic[3]));
            byte[] sizes = in.readNBytes(4 * rank);
            if (sizes.length < 4 * rank)
                throw new EOFException("%s: truncated: the header needs %d sizes, the file ends after %d bytes of them"
                        .formatted(source, rank, sizes.length));
            int[] dims = new int[rank];
            ByteBuffer sb = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
            long length = type.size;
            for (int d = 0; d < rank; d++) {
                dims[d] = sb.getInt();
                if (dims[d] < 0) throw new IOException("%s: size %d of dimension %d is negative".formatted(source, dims[d], d));
                length *= dims[d];
                if (length > Integer.MAX_VALUE - 8)
                    throw new IOException("%s: sizes %s describe more than 2 GiB of data".formatted(source, Arrays.toString(dims)));
            }
            // readNBytes grows its buffer as data arrives, so a lying header cannot make us allocate its claim.
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length)
                throw new EOFException("%s: truncated: sizes %s of %s need %d bytes of data, the file has %d"
                        .formatted(source, Arrays.toString(dims), type, length, bytes.length));
            return new Data(source, type, dims, bytes);
        } catch (EOFException ex) {
            if (ex.getMessage() != null && ex.getMessage().startsWith(source)) throw ex;
            throw new EOFException(source + ": truncated (" + ex.getMessage() + ")");
        }
    }

    /** Reads an IDX file stored as {@code entry} (e.g. {@code package/data/train-labels-idx1-ubyte}) in a tar or .tgz. */
    public static Data readFromArchive(Path archive, String entry) throws IOException {
        Data[] found = new Data[1];
        Tar.walk(archive, (name, size, content) -> {
            if (!name.equals(entry)) return true;
            found[0] = read(content, archive + "!" + entry);
            return false;
        });
        if (found[0] == null) throw new NoSuchFileException(archive.toString(), null, "no entry '" + entry + "' in the archive");
        return found[0];
    }

    /** Images (N, H, W) of unsigned bytes as float32 (N, H*W) in [0, 1]. */
    public static INDArray images(Data d) throws IOException {
        if (d.type() != Type.UBYTE || d.dims().length != 3)
            throw new IOException("%s: expected images as UBYTE (N, H, W), got %s %s"
                    .formatted(d.source(), d.type(), Arrays.toString(d.dims())));
        int n = d.dims()[0];
        int hw = d.dims()[1] * d.dims()[2];
        INDArray a = allocate(DataType.FLOAT, n, hw);  // (N, H*W)
        if (d.bytes().length > 0) {
            ByteBuffer nio = a.data().asNio().duplicate().order(ByteOrder.nativeOrder());
            nio.clear();
            FloatBuffer dst = nio.asFloatBuffer();
            byte[] src = d.bytes();
            float[] chunk = new float[1 << 16];
            for (int at = 0; at < src.length; at += chunk.length) {
                int len = Math.min(chunk.length, src.length - at);
                for (int i = 0; i < len; i++) chunk[i] = (src[at + i] & 0xff) / 255f;
                dst.put(chunk, 0, len);
            }
            Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
        }
        return a;
    }

    /** Labels (N) of unsigned bytes (or 32-bit ints) as ints. */
    public static int[] labels(Data d) throws IOException {
        if (d.dims().length != 1 || (d.type() != Type.UBYTE && d.type() != Type.INT))
            throw new IOException("%s: expected labels as UBYTE or INT (N), got %s %s"
                    .formatted(d.source(), d.type(), Arrays.toString(d.dims())));
        int[] out = new int[d.dims()[0]];
        if (d.type() == Type.UBYTE) {
            for (int i = 0; i < out.length; i++) out[i] = d.bytes()[i] & 0xff;
        } else {
            ByteBuffer.wrap(d.bytes()).order(ByteOrder.BIG_ENDIAN).asIntBuffer().get(out);
        }
        return out;
    }

    /** {@link #images(Data)} of {@link #read(Path)}. */
    public static INDArray readImages(Path file) throws IOException {
        return images(read(file));
    }

    /** {@link #labels(Data)} of {@link #read(Path)}. */
    public static int[] readLabels(Path file) throws IOException {
        return labels(read(file));
    }

    private static INDArray allocate(DataType t, long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(t, shape);
        }
    }
}
