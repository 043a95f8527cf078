package dev.tinygen.examples;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.tinygen.nn.data.TextCorpus;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Encodes a text file with any tokenizer and writes the ids, one per line. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Encode a text file into token ids, one per line.",
            "Example: tinygen tokenize --tokenizer tiktoken:cl100k_base --input book.txt --output ids.txt"})
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "UTF-8 text file.") Path input;
    @Option(names = "--output", required = true, description = "Where the ids go.") Path output;
    @Option(names = "--tokenizer", defaultValue = "tiktoken:cl100k_base",
            description = "char | word | bpe:<vocab> (learned from the input) | tiktoken:<name> | file:<saved tokenizer>.")
    String tokenizer;

    @Override
    public Integer call() throws Exception {
        Path folder = output.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder))
            throw new IllegalArgumentException("--output " + output + ": the folder " + folder + " does not exist");
        String text = TextCorpus.read(input);
        Tokenizer tok;
        if (tokenizer.startsWith("file:")) {
            try {
                tok = Tokenizer.load(Path.of(tokenizer.substring(5)));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--tokenizer " + tokenizer + ": cannot read a saved tokenizer: " + Main.oneLine(e), e);
            }
        } else {
            tok = TokenizerSpec.build(tokenizer, text, text);
        }
        int[] ids = tok.encode(text);
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int id : ids) {
                w.write(Integer.toString(id));
                w.newLine();
            }
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.err.printf("%d characters -> %d tokens (%s, vocabulary %d) -> %s%n", text.length(), ids.length, tok.name(),
                tok.vocabSize(), output);
        return 0;
    }
}
