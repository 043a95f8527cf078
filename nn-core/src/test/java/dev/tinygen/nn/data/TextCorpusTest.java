package dev.tinygen.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
    @TempDir Path dir;

    private static byte[] bom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void stripsTheBomAndOptionallyNormalisesCrlf() throws Exception {
        Path f = dir.resolve("t.txt");
        Files.write(f, bom("Nell\u2019s caf\u00e9\r\nline two\r\n\ufeffinner BOM stays"));
        assertEquals("Nell\u2019s caf\u00e9\r\nline two\r\n\ufeffinner BOM stays", TextCorpus.read(f));
        assertEquals("Nell\u2019s caf\u00e9\nline two\n\ufeffinner BOM stays", TextCorpus.read(f, true));
        Files.write(f, "no bom\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("no bom\n", TextCorpus.read(f));
        Files.write(f, new byte[0]);
        assertEquals("", TextCorpus.read(f));
    }

    @Test
    void readsAClasspathResource() throws Exception {
        String text = TextCorpus.readResource("/dev/tinygen/nn/data/bom-crlf.txt", true);
        assertEquals("First line.\nSecond line \u2014 with a dash.\n", text);
        assertEquals('F', TextCorpus.readResource("dev/tinygen/nn/data/bom-crlf.txt").charAt(0));
    }

    @Test
    void missingOrInvalidTextIsAClearError() throws Exception {
        var nf = assertThrows(NoSuchFileException.class, () -> TextCorpus.read(dir.resolve("none.txt")));
        assertTrue(nf.getMessage().contains("none.txt") && nf.getMessage().contains("not found"), nf.getMessage());
        var nr = assertThrows(FileNotFoundException.class, () -> TextCorpus.readResource("/no-such-corpus.txt"));
        assertTrue(nr.getMessage().contains("'/no-such-corpus.txt' is not on the classpath"), nr.getMessage());
        Path f = dir.resolve("bad.txt");
        Files.write(f, new byte[] {'a', 'b', 'c', (byte) 0xC3, 'x'});
        var bad = assertThrows(CharConversionException.class, () -> TextCorpus.read(f));
        assertTrue(bad.getMessage().endsWith("bad.txt: invalid UTF-8 at byte 3"), bad.getMessage());
    }
}
