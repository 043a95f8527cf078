package dev.tinygen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The autoencoder and VAE commands refuse missing data and bad sizes before training anything. */
class ImageCommandsTest {
    private static int run(Object command, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.write(ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Test
    void missingDataFolderIsNamed(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        Path missing = tmp.resolve("nowhere");
        assertEquals(2, run(new TrainVaeCommand(), err, "--data", missing.toString(), "--out", tmp.resolve("o").toString()));
        assertTrue(err.toString().contains("nowhere") && err.toString().contains("is not a folder"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new TrainAeCommand(), err2, "--data", tmp.toString(), "--out", tmp.resolve("o").toString()));
        assertTrue(err2.toString().contains("train-images-idx3-ubyte"), err2.toString());
    }

    @Test
    void codeSizeZeroAndUnknownNoiseAreRefused(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new TrainAeCommand(), err, "--code", "0", "--out", tmp.toString()));
        assertTrue(err.toString().contains("code size must be positive, got 0"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new TrainAeCommand(), err2, "--noise", "speckle:0.1", "--out", tmp.toString()));
        assertTrue(err2.toString().contains("'speckle'"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertEquals(2, run(new TrainVaeCommand(), err3, "--latent", "0", "--train-size", "10", "--out", tmp.toString()));
        assertTrue(err3.toString().contains("latent size must be positive, got 0"), err3.toString());
    }
}
