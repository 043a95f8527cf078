package dev.tinygen.examples.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.io.AtomicFile;

/** A CSV table built row by row and written atomically; cells holding commas, quotes or newlines are quoted. */
public final class Csv {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Csv(String... header) {
        if (header.length == 0) throw new IllegalArgumentException("csv: a header needs at least one column");
        this.header = List.of(header);
    }

    /** Adds a row; doubles are written with 6 significant digits, other values with toString. */
    public Csv row(Object... cells) {
        if (cells.length != header.size())
            throw new IllegalArgumentException("csv: the header has %d columns %s, the row has %d"
                    .formatted(header.size(), header, cells.length));
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) r.add(c instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(c));
        rows.add(r);
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        for (List<String> r : rows) line(sb, r);
        return sb.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFile.write(file, render().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0)
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            else sb.append(c);
        }
        sb.append('\n');
    }
}
