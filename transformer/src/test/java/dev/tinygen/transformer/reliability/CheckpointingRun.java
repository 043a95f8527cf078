package dev.tinygen.transformer.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.PositionalEncoding;
import dev.tinygen.transformer.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two programs for {@link CrashSafetyTest} to kill at random moments.
 *
 * <ul>
 *   <li>{@code CheckpointingRun <dir> <iters>}: a training run that checkpoints after every step; it resumes from
 *       {@code <dir>/checkpoint.safetensors} if it is there, trains to {@code iters}, and prints one
 *       {@code loss <step> <bits>} line per step it trained (the loss's exact double bits in hex), then
 *       {@code done}.</li>
 *   <li>{@code CheckpointingRun --save-loop <dir>}: saves a 16 MB module over and over, each time with every
 *       element set to the save's number, which is also in the metadata, and prints {@code saved <n>}; nearly all
 *       its time is spent writing, so a kill almost always lands inside a write.</li>
 * </ul>
 *
 * <p>The model (2 layers, width 64, about 110k parameters, a 1.3 MB checkpoint with the AdamW moments) is large
 * enough that writing the checkpoint takes a good part of each step, so random kills often land inside a write.
 */
public final class CheckpointingRun {
    static final GptConfig CONFIG = new GptConfig(9, 16, 2, 4, 64, 0.0, PositionalEncoding.LEARNED, false);
    static final String CHECKPOINT = "checkpoint.safetensors";

    private CheckpointingRun() {}

    static TrainConfig recipe(int iters) {
        return new TrainConfig(4, iters, 3e-3, 3e-4, 3, 0.1, 0.9, 0.99, 1.0, 1_000_000, 1, 1, 1, 7);
    }

    /** A pattern with noise, so the loss has something to learn. */
    static int[] corpus(int n, long seed) {
        Rng r = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextDouble() < 0.8 ? i % 9 : r.nextInt(9);
        return ids;
    }

    /** One 4M-element parameter: a checkpoint of 16 MB. */
    static final class Blob extends Module {
        final Parameter values = register("values", new Parameter(Nd4j.zeros(DataType.FLOAT, 2048, 2048)));
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--save-loop")) {
            saveLoop(Path.of(args[1]));
            return;
        }
        Path dir = Path.of(args[0]);
        int iters = Integer.parseInt(args[1]);
        Gpt model = new Gpt(CONFIG, new Rng(5));
        model.to(DataType.FLOAT);
        GptTrainer trainer = new GptTrainer(model, recipe(iters), corpus(3000, 1), corpus(400, 2), dir,
                Map.of("tokenizer", "synthetic"));
        Path ckpt = dir.resolve(CHECKPOINT);
        if (Files.exists(ckpt)) trainer.resume(ckpt);
        System.out.println("start " + trainer.step());
        System.out.flush();
        trainer.run();
        for (GptTrainer.Point p : trainer.history())
            System.out.println("loss " + p.step() + " " + Long.toHexString(Double.doubleToRawLongBits(p.train())));
        System.out.println("done");
    }

    private static void saveLoop(Path dir) throws IOException {
        Blob blob = new Blob();
        Path file = dir.resolve(CHECKPOINT);
        int n = Files.exists(file) ? Integer.parseInt(Checkpoint.readMetadata(file).get("n")) : 0;
        while (true) {
            n++;
            blob.values.value().assign(n);
            Checkpoint.save(file, blob, null, Map.of("n", Integer.toString(n)));
            System.out.println("saved " + n);
        }
    }
}
