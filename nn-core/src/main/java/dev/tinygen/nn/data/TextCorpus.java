package dev.tinygen.nn.data;

import java.io.CharConversionException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A text for a language model, read as UTF-8: from a file, or from a classpath resource (the default corpora,
 * {@code /dickens.txt} and {@code /shakes.txt}, come in the Maven artifact {@code org.apache.crunch:crunch-test}).
 * A leading byte-order mark is dropped; Windows line ends can be turned into {@code \n} so a model does not
 * learn two kinds of newline. Invalid UTF-8 is an error naming the byte offset, never silently replaced.
 */
public final class TextCorpus {
    private TextCorpus() {}

    /** The file's text, BOM stripped, line ends kept. */
    public static String read(Path file) throws IOException {
        return read(file, false);
    }

    /** The file's text, BOM stripped, CRLF turned into LF if {@code normalizeNewlines}. */
    public static String read(Path file, boolean normalizeNewlines) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "text corpus file not found");
        return decode(Files.readAllBytes(file), file.toString(), normalizeNewlines);
    }

    /** A classpath resource's text, BOM stripped, line ends kept; {@code name} is absolute ({@code /dickens.txt}). */
    public static String readResource(String name) throws IOException {
        return readResource(name, false);
    }

    /** A classpath resource's text, BOM stripped, CRLF turned into LF if {@code normalizeNewlines}. */
    public static String readResource(String name, boolean normalizeNewlines) throws IOException {
        String absolute = name.startsWith("/") ? name : "/" + name;
        InputStream in = TextCorpus.class.getResourceAsStream(absolute);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (in == null && context != null) in = context.getResourceAsStream(absolute.substring(1));
        if (in == null)
            throw new FileNotFoundException("text resource '" + absolute + "' is not on the classpath"
                    + " (the default corpora come from the Maven artifact org.apache.crunch:crunch-test)");
        try (InputStream s = in) {
            return decode(s.readAllBytes(), "resource " + absolute, normalizeNewlines);
        }
    }

    /** Decodes UTF-8 strictly, drops a leading BOM, and optionally normalises CRLF to LF. */
    public static String decode(byte[] bytes, String source, boolean normalizeNewlines) throws CharConversionException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        if (r.isError()) throw new CharConversionException("%s: invalid UTF-8 at byte %d".formatted(source, in.position()));
        String text = out.flip().toString();
        return normalizeNewlines ? text.replace("\r\n", "\n") : text;
    }
}
