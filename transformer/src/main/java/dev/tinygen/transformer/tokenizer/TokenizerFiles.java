package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.tinygen.nn.io.AtomicFile;

/**
 * The shared layout of saved tokenizers: UTF-8 lines, the first {@code tinygen-tokenizer <kind> 1}, then
 * {@code key value} lines particular to the kind. Writes go to a temporary file that is then renamed over the
 * target, so a crash never leaves half a tokenizer behind.
 */
final class TokenizerFiles {
    static final String MAGIC = "tinygen-tokenizer";
    static final int VERSION = 1;

    private TokenizerFiles() {
    }

    static String header(String kind) {
        return MAGIC + " " + kind + " " + VERSION;
    }

    static void writeAtomically(Path path, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) sb.append(line).append('\n');
        AtomicFile.write(path, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** All lines, split on '\n' only, so a saved '\r' inside a value survives. */
    static List<String> read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        return List.of(text.split("\n", -1));
    }

    static String kind(Path path, List<String> lines) throws IOException {
        String[] head = lines.get(0).split(" ");
        if (head.length != 3 || !head[0].equals(MAGIC)) {
            throw new IOException("tokenizer file " + path + ": first line should be '" + MAGIC
                    + " <kind> " + VERSION + "', got '" + abbreviate(lines.get(0)) + "'");
        }
        if (!head[2].equals(Integer.toString(VERSION))) {
            throw new IOException("tokenizer file " + path + ": format version " + head[2]
                    + " is not supported, this build reads version " + VERSION);
        }
        return head[1];
    }

    /** Checks that line {@code index} is {@code key value} and returns the value. */
    static String value(Path path, List<String> lines, int index, String key) throws IOException {
        if (index >= lines.size()) {
            throw new IOException("tokenizer file " + path + ": ends at line " + lines.size()
                    + ", expected '" + key + " ...' on line " + (index + 1));
        }
        String line = lines.get(index);
        if (!line.startsWith(key + " ")) {
            throw new IOException("tokenizer file " + path + ": line " + (index + 1) + " should start with '"
                    + key + " ', got '" + abbreviate(line) + "'");
        }
        return line.substring(key.length() + 1);
    }

    static int intValue(Path path, List<String> lines, int index, String key) throws IOException {
        String v = value(path, lines, index, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IOException("tokenizer file " + path + ": line " + (index + 1) + ": '" + key
                    + "' should be an integer, got '" + abbreviate(v) + "'");
        }
    }

    static IOException bad(Path path, int index, String what) {
        return new IOException("tokenizer file " + path + ": line " + (index + 1) + ": " + what);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Escapes backslash, newline and carriage return so any string fits on one line. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** "token id 812 is outside the vocabulary of 77", the one wording every tokenizer uses. */
    static IllegalArgumentException outside(int id, int vocabSize) {
        return new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocabSize);
    }

    /** How a code point reads in an error message: the character itself and its U+ number. */
    static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + new String(Character.toChars(codePoint)) + "' ";
        return shown + String.format("(U+%04X)", codePoint);
    }
}
