package dev.tinygen.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void minbpeKnownAnswer() {
        // minbpe's README: 3 merges on "aaabdaaabac" make aa=256, aaa=257 (aa, a), aaab=258 (aaa, b).
        for (SplitPattern split : List.of(SplitPattern.NONE, SplitPattern.GPT4)) {
            BpeTokenizer t = BpeTokenizer.train("aaabdaaabac", 259, split);
            assertEquals(259, t.vocabSize());
            assertArrayEquals(new int[][] {{97, 97}, {256, 97}, {257, 98}}, t.merges());
            assertArrayEquals(new int[] {258, 100, 258, 97, 99}, t.encode("aaabdaaabac"));
            assertEquals("aaabdaaabac", t.decode(t.encode("aaabdaaabac")));
        }
    }

    @Test
    void trainingMatchesANaiveMinbpeTrainerOverEveryChunk() {
        // The trainer counts each distinct chunk once, weighted; the naive one recounts every chunk, in text order.
        // Same merges means the dedup kept both the counts and minbpe's first-seen tie-break.
        String text = Corpus.shakes().substring(0, 12_000);
        for (SplitPattern split : List.of(SplitPattern.GPT4, SplitPattern.GPT2, SplitPattern.NONE)) {
            BpeTokenizer t = BpeTokenizer.train(text, 256 + 40, split);
            assertArrayEquals(naiveTrain(text, 40, split), t.merges(), split.name());
        }
    }

    @Test
    void encodingMatchesNaiveMinbpeEncodeIncludingLongChunks() {
        String text = Corpus.shakes().substring(0, 30_000);
        BpeTokenizer gpt4 = BpeTokenizer.train(text, 400, SplitPattern.GPT4);
        BpeTokenizer none = BpeTokenizer.train(text, 400, SplitPattern.NONE);
        String probe = Corpus.dickens().substring(5_000, 9_000) + " é😀 " + "x".repeat(300) + "  \r\n".repeat(60);
        assertArrayEquals(naiveEncode(gpt4, probe), gpt4.encode(probe));
        // No pre-splitting: the whole 4 kB probe is one chunk, merged by the heap path.
        assertArrayEquals(naiveEncode(none, probe), none.encode(probe));
        assertEquals(probe, none.decode(none.encode(probe)));
        assertEquals(probe, gpt4.decode(gpt4.encode(probe)));
    }

    @Test
    void trainingStopsWhenNoPairIsLeft() {
        BpeTokenizer t = BpeTokenizer.train("abc", 1000, SplitPattern.NONE);
        assertEquals(258, t.vocabSize());
        assertArrayEquals(new int[] {257}, t.encode("abc"));
    }

    @Test
    void specialTokensFollowTheAllowedPolicy() {
        BpeTokenizer cl = BpeTokenizer.tiktoken("cl100k_base");
        Encoding oracle = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        String text = "Hello<|endoftext|>world <|fim_prefix|>x";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.encode(text));
        assertTrue(e.getMessage().contains("'<|endoftext|>' at index 5"), e.getMessage());

        int[] all = cl.encode(text, AllowedSpecial.all());
        int[] expected = concat(oracle.encodeOrdinary("Hello").toArray(), new int[] {100257},
                oracle.encodeOrdinary("world ").toArray(), new int[] {100258}, oracle.encodeOrdinary("x").toArray());
        assertArrayEquals(expected, all);
        assertEquals(text, cl.decode(all));

        e = assertThrows(IllegalArgumentException.class, () -> cl.encode(text, AllowedSpecial.of("<|endoftext|>")));
        assertTrue(e.getMessage().contains("'<|fim_prefix|>' at index 24"), e.getMessage());
        assertArrayEquals(oracle.encodeOrdinary(text).toArray(), cl.encodeOrdinary(text));

        e = assertThrows(IllegalArgumentException.class, () -> cl.encode("x", AllowedSpecial.of("<|nope|>")));
        assertTrue(e.getMessage().contains("'<|nope|>'"), e.getMessage());
    }

    @Test
    void eachEncodingHasItsSpecialTokensAndSize() {
        BpeTokenizer r50k = BpeTokenizer.tiktoken("r50k_base");
        BpeTokenizer cl = BpeTokenizer.tiktoken("cl100k_base");
        BpeTokenizer o200k = BpeTokenizer.tiktoken("o200k_base");
        assertEquals(Map.of("<|endoftext|>", 50256), r50k.specialTokens());
        assertEquals(50257, r50k.vocabSize());
        assertEquals(Map.of("<|endoftext|>", 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259,
                "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276), cl.specialTokens());
        assertEquals(100277, cl.vocabSize());
        assertEquals(Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018), o200k.specialTokens());
        assertEquals(200019, o200k.vocabSize());
        assertArrayEquals(new int[] {200018}, o200k.encode("<|endofprompt|>", AllowedSpecial.all()));
        assertArrayEquals(new int[] {50256}, r50k.encode("<|endoftext|>", AllowedSpecial.all()));
    }

    @Test
    void decodeRefusesIdsOutsideOrBetweenTheVocabulary() {
        BpeTokenizer cl = BpeTokenizer.tiktoken("cl100k_base");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.decode(new int[] {9, 100277}));
        assertEquals("token id 100277 is outside the vocabulary of 100277", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cl.decode(new int[] {-1}));
        assertEquals("token id -1 is outside the vocabulary of 100277", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cl.decode(new int[] {100265}));
        assertTrue(e.getMessage().contains("100265") && e.getMessage().contains("not assigned"), e.getMessage());
    }

    @Test
    void decodeJoinsBytesBeforeDecodingUtf8() {
        BpeTokenizer cl = BpeTokenizer.tiktoken("cl100k_base");
        int[] ids = cl.encode("😀");
        assertTrue(ids.length > 1, "the emoji is split into byte tokens");
        assertEquals("😀", cl.decode(ids));
        assertEquals("\uFFFD", cl.decode(Arrays.copyOf(ids, 1)));
        // A lone surrogate has no UTF-8; like tiktoken, it is encoded as U+FFFD.
        assertEquals("a\uFFFDb", cl.decode(cl.encode("a\uD800b")));
        assertArrayEquals(cl.encode("a\uFFFDb"), cl.encode("a\uD800b"));
    }

    @Test
    void trainedTokenizerSavesAndLoads() throws IOException {
        BpeTokenizer t = BpeTokenizer.train(Corpus.shakes(), 400, SplitPattern.GPT4).withSpecialTokens("<|endoftext|>", "<|pad|>");
        assertEquals(Map.of("<|endoftext|>", 400, "<|pad|>", 401), t.specialTokens());
        Path file = dir.resolve("shakes.bpe");
        t.save(file);
        Tokenizer back = Tokenizer.load(file);
        BpeTokenizer b = (BpeTokenizer) back;
        String probe = Corpus.dickens().substring(0, 3000) + "<|endoftext|>tail";
        assertArrayEquals(t.encode(probe, AllowedSpecial.all()), b.encode(probe, AllowedSpecial.all()));
        assertEquals(t.name(), b.name());
        assertEquals(402, b.vocabSize());
        assertEquals(SplitPattern.GPT4.regex(), b.splitPattern().regex());
        assertArrayEquals(t.merges(), b.merges());
    }

    @Test
    void rankTokenizerSavesAndLoadsAndTiktokenFilesLoadByName() throws IOException {
        BpeTokenizer r50k = BpeTokenizer.tiktoken("r50k_base");
        Path saved = dir.resolve("r50k.tok");
        r50k.save(saved);
        BpeTokenizer back = (BpeTokenizer) Tokenizer.load(saved);
        String probe = Corpus.dickens().substring(20_000, 40_000);
        assertArrayEquals(r50k.encode(probe), back.encode(probe));
        assertEquals(r50k.specialTokens(), back.specialTokens());

        Path rankFile = dir.resolve("cl100k_base.tiktoken");
        try (InputStream in = getClass().getResourceAsStream("/com/knuddels/jtokkit/cl100k_base.tiktoken")) {
            Files.copy(in, rankFile);
        }
        Tokenizer fromFile = Tokenizer.load(rankFile);
        assertEquals("cl100k_base", fromFile.name());
        assertArrayEquals(BpeTokenizer.tiktoken("cl100k_base").encode(probe), fromFile.encode(probe));
    }

    @Test
    void badInputsAreNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train("abc", 255, SplitPattern.NONE));
        assertTrue(e.getMessage().contains("255"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train("", 300, SplitPattern.NONE));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.tiktoken("gpt5_base"));
        assertTrue(e.getMessage().contains("'gpt5_base'") && e.getMessage().contains("cl100k_base"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.fromMerges("m", SplitPattern.NONE, new int[][] {{97, 300}}, Map.of()));
        assertTrue(e.getMessage().contains("(97, 300) -> 256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SplitPattern.custom("(unclosed"));
        assertTrue(e.getMessage().contains("does not compile"), e.getMessage());
        BpeTokenizer t = BpeTokenizer.train("aaabdaaabac", 259, SplitPattern.NONE);
        e = assertThrows(IllegalArgumentException.class, () -> t.withSpecialTokens("<s>").withSpecialTokens("<s>"));
        assertTrue(e.getMessage().contains("'<s>' is already a special token (id 259)"), e.getMessage());

        Path broken = dir.resolve("broken.tiktoken");
        Files.writeString(broken, "YQ== 0\nnot-a-line\n");
        IOException io = assertThrows(IOException.class, () -> BpeTokenizer.fromTiktokenRanks("x", broken, SplitPattern.GPT2, Map.of()));
        assertTrue(io.getMessage().contains("line 2") && io.getMessage().contains("not-a-line"), io.getMessage());
        Path cut = dir.resolve("cut.bpe");
        t.save(cut);
        List<String> lines = Files.readAllLines(cut);
        Files.write(cut, lines.subList(0, lines.size() - 1));
        io = assertThrows(IOException.class, () -> Tokenizer.load(cut));
        assertTrue(io.getMessage().contains("header says 3 merges, file has 2"), io.getMessage());
    }

    // ---------------------------------------------------------------- minbpe, written the plain way

    private static List<int[]> chunkBytes(String text, SplitPattern split) {
        List<String> chunks = new ArrayList<>();
        if (split.regex() == null) {
            chunks.add(text);
        } else {
            Matcher m = Pattern.compile(split.regex(), Pattern.UNICODE_CHARACTER_CLASS).matcher(text);
            while (m.find()) chunks.add(m.group());
        }
        List<int[]> out = new ArrayList<>();
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[b.length];
            for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xFF;
            out.add(ids);
        }
        return out;
    }

    private static int[] merge(int[] ids, List<Integer> pair, int id) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ids.length; ) {
            if (i + 1 < ids.length && ids[i] == pair.get(0) && ids[i + 1] == pair.get(1)) {
                out.add(id);
                i += 2;
            } else {
                out.add(ids[i++]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[][] naiveTrain(String text, int numMerges, SplitPattern split) {
        List<int[]> chunks = chunkBytes(text, split);
        List<int[]> merges = new ArrayList<>();
        for (int m = 0; m < numMerges; m++) {
            Map<List<Integer>, Integer> stats = new LinkedHashMap<>();
            for (int[] c : chunks) {
                for (int i = 0; i + 1 < c.length; i++) stats.merge(List.of(c[i], c[i + 1]), 1, Integer::sum);
            }
            List<Integer> best = null;
            for (Map.Entry<List<Integer>, Integer> e : stats.entrySet()) {
                if (best == null || e.getValue() > stats.get(best)) best = e.getKey();
            }
            for (int i = 0; i < chunks.size(); i++) chunks.set(i, merge(chunks.get(i), best, 256 + m));
            merges.add(new int[] {best.get(0), best.get(1)});
        }
        return merges.toArray(new int[0][]);
    }

    private static int[] naiveEncode(BpeTokenizer t, String text) {
        Map<List<Integer>, Integer> rank = new LinkedHashMap<>();
        int[][] merges = t.merges();
        for (int i = 0; i < merges.length; i++) rank.put(List.of(merges[i][0], merges[i][1]), 256 + i);
        List<Integer> out = new ArrayList<>();
        for (int[] ids : chunkBytes(text, t.splitPattern())) {
            while (ids.length >= 2) {
                List<Integer> best = null;
                for (int i = 0; i + 1 < ids.length; i++) {
                    List<Integer> p = List.of(ids[i], ids[i + 1]);
                    if (rank.containsKey(p) && (best == null || rank.get(p) < rank.get(best))) best = p;
                }
                if (best == null) break;
                ids = merge(ids, best, rank.get(best));
            }
            for (int id : ids) out.add(id);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
