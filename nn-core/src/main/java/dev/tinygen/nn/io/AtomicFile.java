package dev.tinygen.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same directory, is forced to disk,
 * and is renamed over the target. A crash or an exception at any point leaves either the old file or the new
 * one, never a mixture, and no temporary file behind (unless the process itself dies mid-write). The new file gets
 * the permissions any new file gets here (0666 less the umask), as a plain write would give it.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes the whole content of a file to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    /** Replaces {@code target} with {@code bytes}, creating its directory if needed. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        write(target, out -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) out.write(b);
        });
    }

    /** Replaces {@code target} with what {@code content} writes; its directory must exist. */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir))
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist");
        // Same directory as the target: a rename across file systems would not be atomic.
        Path tmp = temporary(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty {@code .<name>.<random>.tmp} in {@code dir}. Not {@code Files.createTempFile}: that makes the file
     * owner-only (0600), and the rename would hand those permissions to the target.
     */
    private static Path temporary(Path dir, String name) throws IOException {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    /**
     * Deletes the temporary files a killed writer of {@code target} left behind ({@code .<name>.*.tmp} beside it).
     * Only for a caller that knows no other process is writing the same target. Returns how many it removed.
     */
    static int removeStaleTemporaries(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) return 0;
        String prefix = "." + abs.getFileName() + ".";
        int n = 0;
        try (var files = Files.newDirectoryStream(dir, f -> {
            String name = f.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp");
        })) {
            for (Path f : files) if (Files.deleteIfExists(f)) n++;
        }
        return n;
    }

    /** Makes the rename itself durable; some platforms (Windows) cannot open a directory, and lose only that. */
    private static void syncDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The data is on disk already; only the directory entry's durability is best effort here.
        }
    }
}
