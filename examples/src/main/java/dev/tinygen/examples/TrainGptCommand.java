package dev.tinygen.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.Generator;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.PositionalEncoding;
import dev.tinygen.transformer.TrainConfig;
import dev.tinygen.transformer.bigram.BigramModel;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: train a GPT on a text (by default Dickens' The Old Curiosity Shop, character-level, the cpuSmall
 * recipe), report it against the bigram baseline, print a sample, and write checkpoint, loss CSV and plot.
 */
@Command(name = "train-gpt", mixinStandardHelpOptions = true,
        description = {"Train a GPT on a text and sample from it.",
            "Example: tinygen train-gpt --iters 200 --out runs/quick"})
public final class TrainGptCommand implements Callable<Integer> {
    @Option(names = "--data", description = "UTF-8 text file (default: the embedded dickens.txt).")
    Path data;
    @Option(names = "--tokenizer", defaultValue = "char",
            description = "char | word | bpe:<vocab size> | tiktoken:<r50k_base|cl100k_base|o200k_base> (default: ${DEFAULT-VALUE}).")
    String tokenizer;
    @Option(names = "--iters", defaultValue = "2000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--batch", defaultValue = "12") int batch;
    @Option(names = "--block", defaultValue = "64", description = "Context length in tokens.") int block;
    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--width", defaultValue = "128", description = "Embedding width C.") int width;
    @Option(names = "--dropout", defaultValue = "0.0") double dropout;
    @Option(names = "--positions", defaultValue = "LEARNED", description = "LEARNED | SINUSOIDAL | ROTARY | NONE.")
    PositionalEncoding positions;
    @Option(names = "--tied", description = "Tie the output head to the token embedding.") boolean tied;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--min-lr", defaultValue = "1e-4") double minLr;
    @Option(names = "--warmup", description = "Warmup steps (default: 100, or iters - 1 if fewer).") Integer warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1") double weightDecay;
    @Option(names = "--beta1", defaultValue = "0.9") double beta1;
    @Option(names = "--beta2", defaultValue = "0.99") double beta2;
    @Option(names = "--grad-clip", defaultValue = "1.0") double gradClip;
    @Option(names = "--eval-interval", defaultValue = "250") int evalInterval;
    @Option(names = "--eval-iters", defaultValue = "20") int evalIters;
    @Option(names = "--checkpoint-interval", defaultValue = "500") int checkpointInterval;
    @Option(names = "--log-interval", defaultValue = "10") int logInterval;
    @Option(names = "--seed", defaultValue = "1337") long seed;
    @Option(names = "--sample-tokens", defaultValue = "300", description = "Tokens to generate at the end.")
    int sampleTokens;
    @Option(names = "--out", description = "Output folder (default: runs/gpt-<date-time>).") Path out;
    @Option(names = "--resume", description = "Checkpoint to continue from (same recipe and data).") Path resume;
    @Option(names = "--show-parameters", description = "Print the table of every learned tensor.") boolean showParameters;

    @Override
    public Integer call() throws Exception {
        if (sampleTokens < 0) throw new IllegalArgumentException("--sample-tokens must be >= 0, got " + sampleTokens);
        System.out.println(Backend.describe());
        Corpus corpus = Corpus.load(data);
        Tokenizer tok = TokenizerSpec.build(tokenizer, corpus.text(), corpus.trainText());
        int[] trainIds = tok.encode(corpus.trainText());
        int[] valIds = tok.encode(corpus.valText());
        System.out.printf(Locale.ROOT, "data: %s, %,d characters; tokenizer %s, vocabulary %d; %,d train / %,d validation tokens%n",
                corpus.name(), corpus.length(), tok.name(), tok.vocabSize(), trainIds.length, valIds.length);

        if (trainIds.length < block + 1 || valIds.length < block + 1)
            throw new IllegalArgumentException(("corpus %s is too short for block size %d: its training part has %d tokens and "
                    + "its validation part (the last 10%%) %d; each needs at least %d").formatted(corpus.name(), block,
                    trainIds.length, valIds.length, block + 1));
        BigramModel bigram = BigramModel.fit(trainIds, tok.vocabSize(), 1.0);
        double bigramNll = bigram.nll(valIds);
        System.out.printf(Locale.ROOT, "bigram baseline: validation NLL %.4f nats/token%n", bigramNll);

        GptConfig cfg = new GptConfig(tok.vocabSize(), block, layers, heads, width, dropout, positions, tied);
        int warmupSteps = warmup != null ? warmup : Math.min(100, iters - 1);
        TrainConfig tc = new TrainConfig(batch, iters, lr, minLr, warmupSteps, weightDecay, beta1, beta2,
                gradClip, evalInterval, evalIters, checkpointInterval, logInterval, seed);
        System.out.println(cfg.describe());
        Gpt model = new Gpt(cfg, new Rng(seed));
        model.to(DataType.FLOAT);
        if (showParameters) System.out.println(model.parameterTable());

        Path dir = out != null ? out
                : Path.of("runs", "gpt-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        tok.save(dir.resolve("tokenizer.txt"));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("tokenizer", tok.name());
        meta.put("data", corpus.name());
        GptTrainer trainer = new GptTrainer(model, tc, trainIds, valIds, dir, meta);
        if (resume != null) {
            trainer.resume(resume);
            System.out.printf(Locale.ROOT, "resumed from %s at step %d%n", resume, trainer.step());
        }
        GptTrainer.Result r = trainer.run();

        int[] prompt = {startToken(tok)};
        int[] sample = new Generator(model).generate(prompt,
                Generator.Options.of(sampleTokens, new TemperatureSampler(1.0), seed));
        System.out.println("---- sample ----");
        System.out.println(tok.decode(Arrays.copyOfRange(sample, 1, sample.length)));
        System.out.println("----------------");
        System.out.printf(Locale.ROOT, "validation loss %.4f (bigram baseline %.4f); checkpoint, loss.csv and loss.png in %s%n",
                r.valLoss(), bigramNll, dir);
        System.out.println(Json.line(
                "model", "gpt", "params", r.params(), "iters", r.iters(), "train_loss", r.trainLoss(),
                "val_loss", r.valLoss(), "bigram_val_nll", bigramNll, "ms_per_iter", r.msPerIter(),
                "tokens_per_s", r.tokensPerS(), "out", dir.toString(), "backend", Backend.describe()));
        return 0;
    }

    /** A newline where the vocabulary has one (nanoGPT starts samples so), else token 0. */
    static int startToken(Tokenizer tok) {
        try {
            int[] nl = tok.encode("\n");
            if (nl.length == 1) return nl[0];
        } catch (IllegalArgumentException e) {
            // the vocabulary has no newline: fall through
        }
        return 0;
    }
}
