package dev.tinygen.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void vocabularyIsTheSortedDistinctCodePoints() {
        CharTokenizer t = CharTokenizer.fromText("hello world");
        // ' ' < d < e < h < l < o < r < w
        assertEquals(8, t.vocabSize());
        assertArrayEquals(new int[] {3, 2, 4, 4, 5, 0, 7, 5, 6, 4, 1}, t.encode("hello world"));
        assertEquals("hello world", t.decode(t.encode("hello world")));
        assertEquals("char", t.name());
    }

    @Test
    void supplementaryCharactersAreOneTokenEach() {
        String text = "a😀b𝄞c😀";   // U+1F600 and U+1D11E are surrogate pairs in a Java String
        CharTokenizer t = CharTokenizer.fromText(text);
        assertEquals(5, t.vocabSize());
        int[] ids = t.encode(text);
        assertEquals(6, ids.length);
        assertEquals(0x1F600, t.codePointOf(ids[1]));
        assertEquals(0x1D11E, t.codePointOf(ids[3]));
        assertEquals(text, t.decode(ids));
    }

    @Test
    void wholeCorpusRoundTrips() {
        String text = Corpus.dickens();
        CharTokenizer t = CharTokenizer.fromText(text);
        int[] ids = t.encode(text);
        assertEquals(text.codePointCount(0, text.length()), ids.length);
        assertEquals(text, t.decode(ids));
        String shakes = Corpus.shakes();
        assertEquals(shakes, CharTokenizer.fromText(shakes).decode(CharTokenizer.fromText(shakes).encode(shakes)));
    }

    @Test
    void unknownCharacterIsNamedWithItsPosition() {
        CharTokenizer t = CharTokenizer.fromText("abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("ab😀z"));
        assertTrue(e.getMessage().contains("'😀' (U+1F600) at index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("vocabulary of 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.encode("a\nb"));
        assertTrue(e.getMessage().contains("(U+000A) at index 1"), e.getMessage());
    }

    @Test
    void unknownIdWhenChosen() {
        CharTokenizer t = CharTokenizer.fromText("abc").withUnknown('?');
        assertEquals(4, t.vocabSize());
        assertEquals(0, t.unknownId());           // '?' sorts before 'a'
        assertArrayEquals(new int[] {1, 0, 3, 0}, t.encode("axc😀"));
        assertEquals("a?c?", t.decode(t.encode("axc😀")));
        CharTokenizer already = CharTokenizer.fromText("abc").withUnknown('b');
        assertEquals(3, already.vocabSize());
        assertArrayEquals(new int[] {0, 1, 2, 1}, already.encode("abcz"));
    }

    @Test
    void decodeRefusesIdsOutsideTheVocabulary() {
        CharTokenizer t = CharTokenizer.fromText("abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {0, 3}));
        assertEquals("token id 3 is outside the vocabulary of 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-2}));
        assertEquals("token id -2 is outside the vocabulary of 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromText(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.withUnknown(0x110000));
        assertTrue(e.getMessage().contains("1114112"), e.getMessage());
    }

    @Test
    void savesAndLoadsNewlinesBomsAndEmoji() throws IOException {
        CharTokenizer t = CharTokenizer.fromText("\uFEFFline\r\nnext 😀\n").withUnknown(0xFFFD);
        Path file = dir.resolve("chars.tok");
        t.save(file);
        CharTokenizer back = (CharTokenizer) Tokenizer.load(file);
        assertEquals(t.vocabSize(), back.vocabSize());
        assertEquals(t.unknownId(), back.unknownId());
        String probe = "next line\r\n😀 ok";
        assertArrayEquals(t.encode(probe), back.encode(probe));

        Files.writeString(file, "tinygen-tokenizer char 1\nunknown -1\nsize 2\n97\n96\n");
        IOException io = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(io.getMessage().contains("line 5") && io.getMessage().contains("96"), io.getMessage());
        Files.writeString(file, "tinygen-tokenizer char 2\n");
        io = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(io.getMessage().contains("version 2"), io.getMessage());
        Files.writeString(file, "tinygen-tokenizer sentencepiece 1\n");
        io = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(io.getMessage().contains("'sentencepiece'"), io.getMessage());
    }
}
