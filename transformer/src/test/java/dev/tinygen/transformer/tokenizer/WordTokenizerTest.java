package dev.tinygen.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordTokenizerTest {

    @TempDir
    Path dir;

    private static final String GARDEN = "Flowers are blooming in the garden. The garden is green, and flowers grow.";

    @Test
    void theClassicTable() {
        WordTokenizer t = WordTokenizer.builder().removeStopWords(true).build(GARDEN);
        // After stop-word removal: '.', flowers and garden twice, the rest once; ties go alphabetically.
        assertEquals(List.of("<unk>", ".", "flowers", "garden", ",", "blooming", "green", "grow"), t.vocabulary());
        WordTokenizer.Explanation x = t.explain("Flowers are blooming in the garden");
        assertEquals(List.of("flowers", "are", "blooming", "in", "the", "garden"), x.split());
        assertEquals(List.of("flowers", "blooming", "garden"), x.kept());
        assertArrayEquals(new int[] {2, 5, 3}, x.ids());
        String table = x.toString();
        assertTrue(table.contains("[flowers, blooming, garden]") && table.contains("[2, 5, 3]"), table);
        System.out.println(table);
    }

    @Test
    void splitsPunctuationAndKeepsContractionsAndNumbers() {
        WordTokenizer t = WordTokenizer.fromText("x");
        assertEquals(List.of("don't", "stop", ",", "it", "costs", "3.50", "!", "nai\u0308ve", "café"),
                t.split("Don't stop, it costs 3.50! Nai\u0308ve café"));
        WordTokenizer cased = WordTokenizer.builder().lowercase(false).build("x");
        assertEquals(List.of("Don't", "Stop"), cased.split("Don't Stop"));
    }

    @Test
    void unknownWordsAndDecode() {
        WordTokenizer t = WordTokenizer.fromText(GARDEN);
        int[] ids = t.encode("The purple garden");
        assertEquals(WordTokenizer.UNKNOWN_ID, ids[1]);
        assertEquals("the <unk> garden", t.decode(ids));
        assertEquals(t.idOf("GARDEN"), ids[2]);
    }

    @Test
    void maxVocabAndMinCountCutTheRareWords() {
        WordTokenizer small = WordTokenizer.builder().maxVocab(4).build(GARDEN);
        // '.', flowers, garden and the are seen twice each; the limit keeps the first three alphabetically.
        assertEquals(List.of("<unk>", ".", "flowers", "garden"), small.vocabulary());
        WordTokenizer frequent = WordTokenizer.builder().minCount(2).build(GARDEN);
        assertEquals(List.of("<unk>", ".", "flowers", "garden", "the"), frequent.vocabulary());
        assertArrayEquals(new int[] {4, 0, 3}, frequent.encode("the green garden"));
    }

    @Test
    void corpusVocabulary() {
        String text = Corpus.dickens();
        WordTokenizer t = WordTokenizer.builder().maxVocab(5000).build(text);
        assertEquals(5000, t.vocabSize());
        assertEquals(List.of("<unk>", ",", "the", "'"), t.vocabulary().subList(0, 4));   // Dickens quotes with '
        int[] ids = t.encode(text);
        long unknown = java.util.Arrays.stream(ids).filter(i -> i == 0).count();
        assertTrue(unknown > 0 && unknown < ids.length / 20, "unknown words: " + unknown + " of " + ids.length);
    }

    @Test
    void badInputsAreNamed() {
        WordTokenizer t = WordTokenizer.fromText(GARDEN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1, 99}));
        assertEquals("token id 99 is outside the vocabulary of " + t.vocabSize(), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordTokenizer.builder().maxVocab(1));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordTokenizer.builder().minCount(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordTokenizer.builder().removeStopWords(true).build("the and of"));
        assertTrue(e.getMessage().contains("no words left after removing stop words"), e.getMessage());
    }

    @Test
    void savesAndLoads() throws IOException {
        WordTokenizer t = WordTokenizer.builder().lowercase(false).removeStopWords(true).build(GARDEN);
        Path file = dir.resolve("words.tok");
        t.save(file);
        WordTokenizer back = (WordTokenizer) Tokenizer.load(file);
        assertEquals(t.vocabulary(), back.vocabulary());
        assertEquals(false, back.lowercases());
        assertEquals(true, back.removesStopWords());
        assertArrayEquals(t.encode("The Flowers are in the garden"), back.encode("The Flowers are in the garden"));
    }
}
