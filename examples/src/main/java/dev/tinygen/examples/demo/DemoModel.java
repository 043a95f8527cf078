package dev.tinygen.examples.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.Generator;
import dev.tinygen.transformer.TrainedGpt;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.TrainConfig;
import dev.tinygen.transformer.sample.Sampler;
import dev.tinygen.transformer.tokenizer.CharTokenizer;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GPT for a demo to look inside: trained briefly here on a corpus, or loaded from a {@code train-gpt} run folder.
 *
 * @param result the training figures, or null for a loaded model
 */
public record DemoModel(Gpt model, Tokenizer tokenizer, GptTrainer.Result result) {

    /**
     * The short recipe the demos train with: batch 12, AdamW at a peak learning rate of 3e-3 (small models take
     * larger steps) warming up over the first tenth, cosine decay to a tenth of the peak, weight decay 0.1, clip 1,
     * about ten evaluations of 10 batches.
     */
    public static TrainConfig recipe(int iters, long seed) {
        if (iters < 2) throw new IllegalArgumentException("--iters must be at least 2, got " + iters);
        int every = Math.max(1, iters / 10);
        return new TrainConfig(12, iters, 3e-3, 3e-4, Math.max(1, iters / 10), 0.1, 0.9, 0.99, 1.0, every, 10, 0,
                every, seed);
    }

    /** A character tokenizer over the whole text (validation then has no unknown characters, as in train-gpt). */
    public static Tokenizer charTokenizer(DemoCorpus corpus) {
        return CharTokenizer.fromText(corpus.text());
    }

    /**
     * Trains a fresh model of {@code cfg} for {@code iters} steps on the corpus, logging to {@code log} (null: quiet).
     * With {@code dir} set, the checkpoint, tokenizer, loss.csv and loss.png go there, so {@code --run dir} can reuse it.
     */
    public static DemoModel train(DemoCorpus corpus, Tokenizer tok, GptConfig cfg, int iters, long seed, Path dir,
                                  PrintStream log) throws IOException {
        return train(new Gpt(cfg, new Rng(seed)), corpus, tok, iters, seed, dir, log);
    }

    /** Trains {@code model} (fresh or not) as {@link #train(DemoCorpus, Tokenizer, GptConfig, int, long, Path, PrintStream)}. */
    public static DemoModel train(Gpt model, DemoCorpus corpus, Tokenizer tok, int iters, long seed, Path dir,
                                  PrintStream log) throws IOException {
        model.to(DataType.FLOAT);
        int[] trainIds = tok.encode(corpus.trainText());
        int[] valIds = tok.encode(corpus.valText());
        if (dir != null) {
            Files.createDirectories(dir);
            tok.save(dir.resolve("tokenizer.txt"));
        }
        GptTrainer trainer = new GptTrainer(model, recipe(iters, seed), trainIds, valIds, dir,
                Map.of("tokenizer", tok.name(), "data", corpus.name()));
        trainer.logTo(log != null ? log : new PrintStream(OutputStream.nullOutputStream()));
        GptTrainer.Result r = trainer.run();
        model.eval();
        return new DemoModel(model, tok, r);
    }

    /**
     * The model of {@code run} when given, else a nano GPT trained here for {@code iters} steps on the corpus of
     * {@code options} (checkpoint into {@code dir}), saying which on standard output.
     */
    public static DemoModel loadOrTrain(Path run, DemoOptions options, int iters, Path dir) throws IOException {
        if (run != null) {
            DemoModel m = load(run);
            System.out.println("model: " + run + " (" + m.model().config().toProperties() + ")");
            return m;
        }
        DemoCorpus corpus = options.corpus();
        Tokenizer tok = charTokenizer(corpus);
        System.out.printf(java.util.Locale.ROOT, "training a nano GPT for %d steps on %s (--run DIR uses a trained one instead)...%n",
                iters, corpus.name());
        DemoModel m = train(corpus, tok, GptConfig.nano(tok.vocabSize()), iters, options.seed(), dir, null);
        System.out.printf(java.util.Locale.ROOT, "validation loss %.3f after %d steps, %.0f ms/step%n", m.result().valLoss(),
                m.result().iters(), m.result().msPerIter());
        return m;
    }

    /** A model written by train-gpt (or by a demo): a folder holding checkpoint.safetensors and tokenizer.txt. */
    public static DemoModel load(Path run) throws IOException {
        TrainedGpt t = TrainedGpt.load(run);
        return new DemoModel(t.model(), t.tokenizer(), null);
    }

    /**
     * {@code n} tokens after {@code prompt}, decoded (the prompt not repeated); a prompt too long keeps its end.
     */
    public String sample(String prompt, int n, Sampler sampler, long seed) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) throw new IllegalArgumentException("the prompt '" + prompt + "' encodes to no tokens");
        int[] out = new Generator(model).generate(ids, Generator.Options.of(n, sampler, seed).withCropPrompt(true));
        return tokenizer.decode(Arrays.copyOfRange(out, ids.length, out.length));
    }

    /** The model's logits (V) for the token after {@code prompt} (its last block-size tokens). */
    public double[] nextLogits(String prompt) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) throw new IllegalArgumentException("the prompt '" + prompt + "' encodes to no tokens");
        int block = model.config().blockSize();
        int[] window = ids.length > block ? Arrays.copyOfRange(ids, ids.length - block, ids.length) : ids;
        double[][] logits = AttentionMaps.of(model, window).logits();
        return logits[logits.length - 1];
    }
}
