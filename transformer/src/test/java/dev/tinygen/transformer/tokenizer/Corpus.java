package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The default corpus from the crunch-test jar: The Old Curiosity Shop (UTF-8 with a BOM) and Macbeth (CRLF). */
final class Corpus {
    private Corpus() {
    }

    static String dickens() {
        return read("/dickens.txt");
    }

    static String shakes() {
        return read("/shakes.txt");
    }

    static String read(String resource) {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is not on the test classpath (org.apache.crunch:crunch-test)");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
