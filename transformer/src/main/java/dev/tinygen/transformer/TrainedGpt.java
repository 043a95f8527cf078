package dev.tinygen.transformer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/** A trained GPT and the tokenizer it reads with, as a train-gpt run folder holds them. */
public record TrainedGpt(Gpt model, Tokenizer tokenizer) {
    /**
     * Loads a run: a folder holding {@code checkpoint.safetensors} and {@code tokenizer.txt}, or the checkpoint file
     * itself with the tokenizer beside it. The model is built from the config in the checkpoint's metadata, in
     * float32 and evaluation mode.
     */
    public static TrainedGpt load(Path run) throws IOException {
        Path ckpt = Files.isDirectory(run) ? run.resolve("checkpoint.safetensors") : run;
        Path tokFile = (Files.isDirectory(run) ? run : run.toAbsolutePath().getParent()).resolve("tokenizer.txt");
        if (!Files.exists(ckpt)) throw new IllegalArgumentException("no checkpoint at " + ckpt);
        if (!Files.exists(tokFile)) throw new IllegalArgumentException("no tokenizer.txt beside the checkpoint at " + tokFile);
        String cfgText = Checkpoint.readMetadata(ckpt).get("config");
        if (cfgText == null) throw new IllegalArgumentException("checkpoint " + ckpt + " has no GPT config in its metadata");
        GptConfig cfg = GptConfig.fromProperties(cfgText);
        Tokenizer tok = Tokenizer.load(tokFile);
        if (tok.vocabSize() != cfg.vocabSize())
            throw new IllegalArgumentException("tokenizer %s has %d tokens but the checkpoint's model expects %d"
                    .formatted(tokFile, tok.vocabSize(), cfg.vocabSize()));
        Gpt model = new Gpt(cfg, new Rng(0));
        model.to(DataType.FLOAT);
        Checkpoint.load(ckpt, model, null, true);
        model.eval();
        return new TrainedGpt(model, tok);
    }
}
