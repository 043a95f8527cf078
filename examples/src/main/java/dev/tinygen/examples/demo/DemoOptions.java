package dev.tinygen.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** The options every demo shares: where its files go, which text it reads, and the seed. */
public final class DemoOptions {
    @Option(names = "--out", description = "Output folder for PNGs and CSVs (default: runs/<demo>-<date-time>).")
    Path out;
    @Option(names = "--data", description = "UTF-8 text file to learn from (default: the embedded dickens.txt).")
    Path data;
    @Option(names = "--seed", defaultValue = "1337", description = "Seed for initialisation, batches and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The output folder, created: {@code --out}, or {@code runs/<demo>-<yyyyMMdd-HHmmss>}. */
    public Path outputFolder(String demo) throws IOException {
        Path dir = out != null ? out
                : Path.of("runs", demo + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        return dir;
    }

    public DemoCorpus corpus() throws IOException {
        return DemoCorpus.load(data);
    }

    public long seed() {
        return seed;
    }

    /** A token as a picture label: visible marks for space and line breaks, long tokens cut to 12 characters. */
    public static String label(String token) {
        String s = token.replace(' ', '\u00b7').replace("\n", "\u00b6").replace("\r", "").replace("\t", "\u2192");
        return s.length() > 12 ? s.substring(0, 11) + "\u2026" : s;
    }
}
