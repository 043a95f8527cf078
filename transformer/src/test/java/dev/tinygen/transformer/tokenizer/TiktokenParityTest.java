package dev.tinygen.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our rank-based encoder against jtokkit, the independent implementation of tiktoken, id for id. */
class TiktokenParityTest {
    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();

    enum Enc {
        R50K("r50k_base", EncodingType.R50K_BASE),
        CL100K("cl100k_base", EncodingType.CL100K_BASE),
        O200K("o200k_base", EncodingType.O200K_BASE);

        final String name;
        final EncodingType type;

        Enc(String name, EncodingType type) {
            this.name = name;
            this.type = type;
        }
    }

    static final List<String> TRICKY = List.of(
            "", " ", "  ", "\n", "\r\n", "\n\n\n", " \n ", "a", "hello world", "Hello, World!",
            "It's, don't, you're, we've, I'm, they'll, he'd, IT'S, DON'T, You'RE, I'M",
            "'s 't 're 've 'm 'll 'd ''s",
            "1 12 123 1234 12345 123456789 3.14159 1,000,000 -42 +7 0x1F 2024-01-31",
            "a    b\t\tc\n\n\n  d  \n  e   ", "trailing   ", "trailing\n  ", "  leading", "x\n  ",
            "line one\r\nline two\r\n\r\nline four\r\n", "tabs\tand\u000Bvertical\ftabs",
            "emoji 😀😃😄 👩‍👩‍👧‍👦 👍🏽 🇺🇸 and ❤️", "CJK 日本語のテキスト 中文文本 한국어 텍스트",
            "combining e\u0301 a\u0300 n\u0303 \u0915\u094D\u0937 Zalgo: Z\u0351\u036B\u0343\u036Ba\u0302l\u0300g\u0306o",
            "Ελληνικά Кириллица עברית العربية हिन्दी ไทย",
            "camelCaseWords HTTPServer XMLHttpRequest iPhone O'Neil McDonald's",
            "punctuation!!! ??? ... --- /// \\\\ @#$%^&*() [] {} <> |",
            "code: for (int i = 0; i < n; i++) { x[i] += 1; }\n\tif (a && b) return;\n",
            "non-breaking\u00A0space and\u2003em space and\u3000ideographic",
            "<|endoftext|> should be ordinary here", "math ∑ ∫ √ ∞ ≠ ≤ ≥ π",
            "mixed123abc456 abc123 123abc", "\u00E9\u00E8 \u00FC\u00F6 \u00DF \u00E6\u00F8\u00E5",
            "https://example.com/path?query=1&b=2#frag", "   \n\n   \n", "a\u2028b\u2029c\u0085d");

    @ParameterizedTest
    @EnumSource(Enc.class)
    void trickyStringsMatchJtokkitAndRoundTrip(Enc e) {
        BpeTokenizer ours = BpeTokenizer.tiktoken(e.name);
        Encoding oracle = REGISTRY.getEncoding(e.type);
        for (String s : TRICKY) {
            assertArrayEquals(oracle.encodeOrdinary(s).toArray(), ours.encodeOrdinary(s), () -> e.name + " on \"" + s + "\"");
            assertEquals(s, ours.decode(ours.encodeOrdinary(s)), () -> e.name + " round trip of \"" + s + "\"");
        }
    }

    @ParameterizedTest
    @EnumSource(Enc.class)
    void wholeCorpusMatchesJtokkit(Enc e) {
        BpeTokenizer ours = BpeTokenizer.tiktoken(e.name);
        Encoding oracle = REGISTRY.getEncoding(e.type);
        for (String text : List.of(Corpus.dickens(), Corpus.shakes())) {
            int[] expected = oracle.encode(text).toArray();
            int[] got = ours.encode(text);
            assertEquals(expected.length, got.length, e.name + " token count");
            assertArrayEquals(expected, got, e.name);
            assertEquals(text, ours.decode(got));
        }
    }

    private static final String[] PIECES = {"a", "b", "😀", "é", "日", " "};

    @ParameterizedTest
    @EnumSource(Enc.class)
    void longChunksUseTheHeapAndStillMatch(Enc e) {
        BpeTokenizer ours = BpeTokenizer.tiktoken(e.name);
        Encoding oracle = REGISTRY.getEncoding(e.type);
        dev.tinygen.nn.Rng rng = new dev.tinygen.nn.Rng(7);
        List<String> longOnes = new ArrayList<>();
        for (int len : new int[] {97, 200, 1000, 5000}) {
            StringBuilder letters = new StringBuilder();
            StringBuilder mixed = new StringBuilder();
            for (int i = 0; i < len; i++) {
                letters.append((char) ('a' + rng.nextInt(6)));
                mixed.append(PIECES[rng.nextInt(PIECES.length)]);
            }
            longOnes.add(letters.toString());
            longOnes.add(mixed.toString());
            longOnes.add(" ".repeat(len) + "x");
            longOnes.add("!".repeat(len));
        }
        for (String s : longOnes) {
            assertArrayEquals(oracle.encodeOrdinary(s).toArray(), ours.encodeOrdinary(s), () -> e.name + " on a " + s.length() + "-char string");
        }
    }
}
