package dev.tinygen.examples.demo;

import java.io.IOException;
import java.nio.file.Path;
import dev.tinygen.nn.data.TextCorpus;

/**
 * The text a demo learns from: by default Dickens' The Old Curiosity Shop (the embedded {@code /dickens.txt}), or a
 * file; split into its first 90% for training and the last 10% for validation, by characters, as train-gpt does.
 */
public record DemoCorpus(String name, String text, int split) {
    public static final String DEFAULT_RESOURCE = "/dickens.txt";

    public DemoCorpus {
        if (text.isEmpty()) throw new IllegalArgumentException("corpus " + name + " is empty");
        if (split <= 0 || split >= text.length())
            throw new IllegalArgumentException("corpus %s: split %d must lie inside the text of %d characters"
                    .formatted(name, split, text.length()));
    }

    /** The file's text, or the embedded default when {@code file} is null. */
    public static DemoCorpus load(Path file) throws IOException {
        String text = file == null ? TextCorpus.readResource(DEFAULT_RESOURCE) : TextCorpus.read(file);
        return of(file == null ? "dickens.txt (embedded)" : file.toString(), text);
    }

    /** A text held in memory (tests, short examples). */
    public static DemoCorpus of(String name, String text) {
        if (text.length() < 20)
            throw new IllegalArgumentException("corpus %s has %d characters; a demo needs at least 20".formatted(name, text.length()));
        return new DemoCorpus(name, text, (int) (text.length() * 0.9));
    }

    public String trainText() {
        return text.substring(0, split);
    }

    public String valText() {
        return text.substring(split);
    }
}
