package dev.tinygen.examples;

import java.io.IOException;
import java.nio.file.Path;
import dev.tinygen.nn.data.TextCorpus;

/** A text split into its first 90% (training) and last 10% (validation), by characters. */
record Corpus(String name, String text, int split) {
    static final String DEFAULT_RESOURCE = "/dickens.txt";

    static Corpus load(Path file) throws IOException {
        String text = file == null ? TextCorpus.readResource(DEFAULT_RESOURCE) : TextCorpus.read(file);
        String name = file == null ? "dickens.txt (embedded)" : file.toString();
        if (text.isEmpty()) throw new IllegalArgumentException("corpus " + name + " is empty");
        return new Corpus(name, text, (int) (text.length() * 0.9));
    }

    String trainText() {
        return text.substring(0, split);
    }

    String valText() {
        return text.substring(split);
    }

    int length() {
        return text.length();
    }
}
