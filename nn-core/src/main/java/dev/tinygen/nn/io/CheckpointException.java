package dev.tinygen.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be read or does not fit the model: truncated, corrupted, or holding tensors of
 * the wrong name, type or shape. The message names the file, the tensor and the numbers.
 *
 * <p>It is an {@link IOException}, like {@link java.util.zip.ZipException}: a bad file is a fault of the input,
 * not of the program, and callers that already handle a missing or unreadable file handle this one with it.
 */
public class CheckpointException extends IOException {
    private final transient Path file;

    public CheckpointException(Path file, String detail) {
        super("checkpoint " + file + ": " + detail);
        this.file = file;
    }

    public CheckpointException(Path file, String detail, Throwable cause) {
        super("checkpoint " + file + ": " + detail, cause);
        this.file = file;
    }

    /** The file that was refused. */
    public Path file() {
        return file;
    }
}
