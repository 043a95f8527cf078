package dev.tinygen.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same directory, is forced to disk,
 * and is renamed over the target. A crash or an exception at any point leaves either the old file or the new
 * one, never a mixture, and no temporary file behind (unless the process itself dies mid-write).
 */
final class AtomicFile {
    private AtomicFile() {}

    /** Writes the whole content of a file to an open channel. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir))
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist");
        // Same directory as the target: a rename across file systems would not be atomic.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
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
