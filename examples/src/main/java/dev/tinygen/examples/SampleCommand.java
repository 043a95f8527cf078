package dev.tinygen.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.transformer.Generator;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.TrainedGpt;
import dev.tinygen.transformer.sample.GreedySampler;
import dev.tinygen.transformer.sample.Sampler;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.sample.TopKSampler;
import dev.tinygen.transformer.sample.TopPSampler;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Loads a trained GPT and generates text from a prompt. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Generate text from a GPT checkpoint.",
            "Example: tinygen sample --run runs/quick --prompt \"The old \" --tokens 200 --top-k 10"})
public final class SampleCommand implements Callable<Integer> {
    @Option(names = "--run", required = true,
            description = "A train-gpt output folder (checkpoint.safetensors and tokenizer.txt), or a checkpoint file.")
    Path run;
    @Option(names = "--prompt", defaultValue = "\n", description = "Text to continue (default: a newline).") String prompt;
    @Option(names = "--tokens", defaultValue = "300") int tokens;
    @Option(names = "--temperature", defaultValue = "1.0") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k most likely tokens (0 = off).") int topK;
    @Option(names = "--top-p", defaultValue = "0", description = "Nucleus sampling with this mass (0 = off).") double topP;
    @Option(names = "--greedy", description = "Always take the most likely token.") boolean greedy;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--crop-prompt", description = "Use the last block-size tokens of a longer prompt instead of failing.")
    boolean cropPrompt;
    @Option(names = "--no-cache", description = "Recompute the whole context for every token (slow; for comparison).")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        if (tokens < 0) throw new IllegalArgumentException("--tokens must be >= 0, got " + tokens);
        if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("--top-p must be in [0, 1] (0 = off), got " + topP);
        if (!(temperature > 0)) throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
        TrainedGpt trained = TrainedGpt.load(run);
        Gpt model = trained.model();
        Tokenizer tok = trained.tokenizer();

        int[] ids = tok.encode(prompt);
        if (ids.length == 0) throw new IllegalArgumentException("--prompt encodes to no tokens; give at least one character");
        Sampler sampler = greedy ? new GreedySampler()
                : topK > 0 ? new TopKSampler(topK, temperature)
                : topP > 0 ? new TopPSampler(topP, temperature)
                : new TemperatureSampler(temperature);
        System.err.println(Backend.describe());
        System.out.print(prompt);
        long t0 = System.nanoTime();
        int[] out = new Generator(model).generate(ids, new Generator.Options(tokens, sampler, seed, !noCache, -1,
                id -> System.out.print(tok.decode(new int[] {id})), cropPrompt));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println();
        System.err.printf(Locale.ROOT, "%d tokens in %.2f s (%.1f tokens/s, %s)%n", out.length - ids.length, s,
                (out.length - ids.length) / s, noCache ? "no cache" : "KV cache");
        return 0;
    }

}
