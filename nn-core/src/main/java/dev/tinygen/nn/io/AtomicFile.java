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
