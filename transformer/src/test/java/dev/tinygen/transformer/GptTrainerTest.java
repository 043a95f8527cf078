package dev.tinygen.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class GptTrainerTest {
    private static final GptConfig CFG = new GptConfig(9, 8, 1, 2, 8, 0.1, PositionalEncoding.LEARNED, false);
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    /** A text with structure: a repeating pattern with noise, so the loss can fall. */
    private static int[] corpus(int n, long seed) {
        Rng r = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextDouble() < 0.8 ? i % 9 : r.nextInt(9);
        return ids;
    }

    private static TrainConfig recipe(int iters) {
        return new TrainConfig(4, iters, 3e-3, 3e-4, 3, 0.1, 0.9, 0.99, 1.0, 5, 2, 6, 1, 99);
    }

    private static GptTrainer trainer(Path out, int iters, long initSeed) {
        Gpt g = new Gpt(CFG, new Rng(initSeed));
        g.to(DataType.FLOAT);
        return new GptTrainer(g, recipe(iters), corpus(2000, 1), corpus(400, 2), out, Map.of("tokenizer", "test")).logTo(QUIET);
    }

    private static List<Double> losses(GptTrainer t) {
        return t.history().stream().map(GptTrainer.Point::train).toList();
    }

    @Test
    void resumeContinuesTheSameTrajectory(@TempDir Path dir) {
        GptTrainer whole = trainer(dir.resolve("whole"), 14, 5);
        whole.run();
        List<Double> expected = losses(whole);

        GptTrainer first = trainer(dir.resolve("split"), 14, 5);
        first.runUntil(9);                       // checkpoints at step 6; steps 7..9 are lost with the "crash"
        GptTrainer second = trainer(dir.resolve("split"), 14, 777);  // a different init, overwritten by the checkpoint
        second.resume(dir.resolve("split").resolve("checkpoint.safetensors"));
        assertEquals(6, second.step());
        second.run();
        List<Double> resumed = losses(second);
        assertEquals(expected.subList(6, 14), resumed, "losses of steps 7..14 after resuming from step 6");
        assertTrue(expected.get(13) < expected.get(0), "loss should fall: " + expected);
        assertTrue(Files.exists(dir.resolve("whole").resolve("loss.csv")));
        assertTrue(Files.exists(dir.resolve("whole").resolve("loss.png")));
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        GptTrainer t = trainer(dir, 20, 5);
        t.runUntil(7);                           // checkpoint at step 6
        // poison the live model: every later loss is NaN
        GptTrainer live = trainer(dir, 20, 5);
        live.resume(dir.resolve("checkpoint.safetensors"));
        liveModel(live).namedParameters().get("ln_f.weight").value().assign(Double.NaN);
        var e = assertThrows(GptTrainer.DivergedException.class, live::run);
        assertTrue(e.getMessage().contains("at step 7") && e.getMessage().contains("checkpoint is from step 6"), e.getMessage());
        Gpt check = new Gpt(CFG, new Rng(5));
        Map<String, String> meta = Checkpoint.load(dir.resolve("checkpoint.safetensors"), check, null);
        assertEquals("6", meta.get("step"));
        assertTrue(Double.isFinite(check.namedParameters().get("ln_f.weight").value().sumNumber().doubleValue()));
    }

    private static Gpt liveModel(GptTrainer t) {
        return t.model();
    }

    @Test
    void badRecipesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(0, 10, 1e-3, 1e-4, 1, 0, 0.9, 0.99, 1, 5, 1, 0, 1, 1));
        assertTrue(e.getMessage().contains("batchSize must be positive, got 0"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(4, 10, 1e-3, 1e-4, 10, 0, 0.9, 0.99, 1, 5, 1, 0, 1, 1));
        assertTrue(e2.getMessage().contains("warmupIters"), e2.getMessage());
        Gpt g = new Gpt(CFG, new Rng(1));
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new GptTrainer(g, recipe(5), new int[5], corpus(100, 1), null, null));
        assertTrue(e3.getMessage().contains("the training split has 5 tokens, too few for one window of block size 8"), e3.getMessage());
    }
}
