package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding, as in GPT-2 and later: text is cut into chunks by a {@link SplitPattern}, each
 * chunk becomes its UTF-8 bytes (ids 0..255 cover every byte, so nothing is ever unknown), and adjacent tokens are
 * merged, lowest rank first, until no adjacent pair is a token.
 *
 * <p>Two ways to get one:
 * <ul>
 *   <li>{@link #train(String, int, SplitPattern)} learns merges from a text exactly as minbpe does (the most
 *       frequent pair becomes the next id; a tie goes to the pair seen first). Encoding then applies the merges
 *       in the order they were learned (minbpe's rule).</li>
 *   <li>{@link #tiktoken(String)} reads OpenAI's rank files (r50k_base for GPT-2, cl100k_base, o200k_base) with
 *       their split patterns and special tokens. Encoding follows tiktoken: two adjacent parts merge when their
 *       concatenated bytes are a token, the lowest rank first, the leftmost first on a tie.</li>
 * </ul>
 * Special tokens are matched in the text only where {@link AllowedSpecial} says so; elsewhere their text is
 * refused, as tiktoken does ({@link #encodeOrdinary(String)} treats it as ordinary text).
 *
 * <p>Shape: {@code encode} String -> int[T]; {@code decode} int[T] -> String (invalid UTF-8 in a cut-off
 * sequence becomes U+FFFD).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class BpeTokenizer implements Tokenizer {
    static final String KIND = "bpe";
    private static final int NO_MERGE = Integer.MAX_VALUE;
    /** Chunks at most this many bytes use the plain quadratic merge loop; longer ones a heap. */
    private static final int SHORT_CHUNK = 96;
    /** Chunks at most this many chars go through the per-chunk cache; long ones are rarely repeated. */
    private static final int CACHED_CHUNK = 32;
    private static final int CACHE_LIMIT = 1 << 16;
    private static final String TIKTOKEN_RESOURCES = "/com/knuddels/jtokkit/";
    private static final Map<String, BpeTokenizer> TIKTOKEN_LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final SplitPattern split;
    private final Pattern pattern;                   // null: the whole segment is one chunk
    private final TokenBytes vocab;                  // the ordinary tokens' bytes
    private final int[] byteIds;                     // (256) the token of each single byte
    private final long[] mergeList;                  // merges mode: merge i makes id 256 + i; null in ranks mode
    private final LongIntMap merges;                 // merges mode: pair -> merged id; null in ranks mode
    private final Map<String, Integer> specials;     // insertion-ordered, unmodifiable
    private final Map<Integer, String> specialById;
    private final int vocabSize;
    private final ConcurrentHashMap<String, int[]> chunkCache = new ConcurrentHashMap<>();

    private BpeTokenizer(String name, SplitPattern split, byte[][] bytesById, long[] mergeList,
                         Map<String, Integer> specials) {
        this.name = name;
        this.split = split;
        this.pattern = split.compiled();
        this.vocab = new TokenBytes(bytesById);
        this.mergeList = mergeList;
        this.byteIds = new int[256];
        if (mergeList != null) {
            merges = new LongIntMap(mergeList.length);
            for (int i = 0; i < mergeList.length; i++) merges.put(mergeList[i], 256 + i);
            for (int b = 0; b < 256; b++) byteIds[b] = b;
        } else {
            merges = null;
            byte[] one = new byte[1];
            for (int b = 0; b < 256; b++) {
                one[0] = (byte) b;
                byteIds[b] = vocab.id(one, 0, 1);
                if (byteIds[b] < 0) {
                    throw new IllegalArgumentException(name + ": the ranks have no token for the single byte "
                            + String.format("0x%02X", b) + ", so some texts could not be encoded");
                }
            }
        }
        int size = vocab.size();
        Map<String, Integer> sp = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (Map.Entry<String, Integer> e : specials.entrySet()) {
            String token = e.getKey();
            int id = e.getValue();
            if (token.isEmpty()) throw new IllegalArgumentException(name + ": a special token's text is empty");
            if (id < 0) throw new IllegalArgumentException(name + ": special token '" + token + "' has negative id " + id);
            if (vocab.has(id)) {
                throw new IllegalArgumentException(name + ": special token '" + token + "' id " + id
                        + " is already an ordinary token");
            }
            if (byId.put(id, token) != null) {
                throw new IllegalArgumentException(name + ": special tokens '" + byId.get(id) + "' and '" + token
                        + "' share id " + id);
            }
            sp.put(token, id);
            size = Math.max(size, id + 1);
        }
        this.specials = Collections.unmodifiableMap(sp);
        this.specialById = byId;
        this.vocabSize = size;
    }

    // ---------------------------------------------------------------- training

    /**
     * Learns {@code vocabSize - 256} merges from {@code text}, minbpe's way: count every adjacent pair within each
     * chunk, make the most frequent one (the first seen, on a tie) the next id, replace it everywhere, repeat.
     * Stops early, with a smaller vocabulary, if no pair is left to merge.
     */
    public static BpeTokenizer train(String text, int vocabSize, SplitPattern split) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("bpe train: vocabulary size must be at least 256 (one id per byte), got " + vocabSize);
        }
        if (text.isEmpty()) throw new IllegalArgumentException("bpe train: the training text is empty");
        // Identical chunks merge identically, so each distinct chunk is kept once with its count; first-seen
        // order is kept too, which keeps minbpe's tie-break among equally frequent pairs.
        Map<String, int[]> distinct = new LinkedHashMap<>();
        Pattern p = split.compiled();
        if (p == null) {
            distinct.put(text, new int[] {1});
        } else {
            Matcher m = p.matcher(text);
            while (m.find()) distinct.computeIfAbsent(m.group(), k -> new int[1])[0]++;
        }
        int n = distinct.size();
        int[][] seqs = new int[n][];
        int[] lens = new int[n];
        int[] counts = new int[n];
        int c = 0;
        for (Map.Entry<String, int[]> e : distinct.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            seqs[c] = new int[b.length];
            for (int i = 0; i < b.length; i++) seqs[c][i] = b[i] & 0xFF;
            lens[c] = b.length;
            counts[c] = e.getValue()[0];
            c++;
        }
        int numMerges = vocabSize - 256;
        long[] mergeList = new long[numMerges];
        int done = 0;
        LongIntMap stats = new LongIntMap(1 << 12);
        while (done < numMerges) {
            stats.clear();
            for (int s = 0; s < n; s++) {
                int[] seq = seqs[s];
                for (int i = 0; i + 1 < lens[s]; i++) stats.add(LongIntMap.pair(seq[i], seq[i + 1]), counts[s]);
            }
            if (stats.size() == 0) break;
            int bestAt = 0;
            for (int i = 1; i < stats.size(); i++) {
                if (stats.valueAt(i) > stats.valueAt(bestAt)) bestAt = i;
            }
            long best = stats.keyAt(bestAt);
            int left = LongIntMap.left(best);
            int right = LongIntMap.right(best);
            int newId = 256 + done;
            for (int s = 0; s < n; s++) {
                int[] seq = seqs[s];
                int len = lens[s];
                int w = 0;
                for (int i = 0; i < len; ) {
                    if (i + 1 < len && seq[i] == left && seq[i + 1] == right) {
                        seq[w++] = newId;
                        i += 2;
                    } else {
                        seq[w++] = seq[i++];
                    }
                }
                lens[s] = w;
            }
            mergeList[done++] = best;
        }
        return fromMerges("bpe-" + (256 + done), split, Arrays.copyOf(mergeList, done), Map.of());
    }

    /**
     * A tokenizer from minbpe-style merges: merge i joins the pair {@code (left, right)} of {@code merges[i]}
     * into id 256 + i.
     */
    public static BpeTokenizer fromMerges(String name, SplitPattern split, int[][] merges, Map<String, Integer> specials) {
        long[] list = new long[merges.length];
        for (int i = 0; i < merges.length; i++) {
            if (merges[i].length != 2) {
                throw new IllegalArgumentException("bpe merges: merge " + i + " should be a pair, got " + merges[i].length + " ids");
            }
            list[i] = LongIntMap.pair(merges[i][0], merges[i][1]);
        }
        return fromMerges(name, split, list, specials);
    }

    private static BpeTokenizer fromMerges(String name, SplitPattern split, long[] mergeList, Map<String, Integer> specials) {
        byte[][] bytes = new byte[256 + mergeList.length][];
        for (int b = 0; b < 256; b++) bytes[b] = new byte[] {(byte) b};
        for (int i = 0; i < mergeList.length; i++) {
            int l = LongIntMap.left(mergeList[i]);
            int r = LongIntMap.right(mergeList[i]);
            int id = 256 + i;
            if (l < 0 || l >= id || r < 0 || r >= id) {
                throw new IllegalArgumentException("bpe merges: merge " + i + " (" + l + ", " + r + ") -> " + id
                        + " uses an id that does not exist yet (ids below " + id + " do)");
            }
            byte[] joined = Arrays.copyOf(bytes[l], bytes[l].length + bytes[r].length);
            System.arraycopy(bytes[r], 0, joined, bytes[l].length, bytes[r].length);
            bytes[id] = joined;
        }
        return new BpeTokenizer(name, split, bytes, mergeList, specials);
    }

    /** This tokenizer with {@code tokens} added as special tokens, numbered from the current {@link #vocabSize()}. */
    public BpeTokenizer withSpecialTokens(String... tokens) {
        Map<String, Integer> sp = new LinkedHashMap<>(specials);
        int next = vocabSize;
        for (String t : tokens) {
            if (sp.containsKey(t)) throw new IllegalArgumentException(name + ": '" + t + "' is already a special token (id " + sp.get(t) + ")");
            sp.put(t, next++);
        }
        return mergeList != null
                ? fromMerges(name, split, mergeList, sp)
                : new BpeTokenizer(name, split, allBytes(), null, sp);
    }

    // ---------------------------------------------------------------- tiktoken

    /** The split pattern and special tokens tiktoken gives each encoding it ships. */
    private record Known(SplitPattern split, Map<String, Integer> specials) {
    }

    private static final String ENDOFTEXT = "<|endoftext|>";
    private static final Map<String, Known> KNOWN = Map.of(
            "r50k_base", new Known(SplitPattern.GPT2, Map.of(ENDOFTEXT, 50256)),
            "p50k_base", new Known(SplitPattern.GPT2, Map.of(ENDOFTEXT, 50256)),
            "cl100k_base", new Known(SplitPattern.GPT4, ordered(ENDOFTEXT, 100257, "<|fim_prefix|>", 100258,
                    "<|fim_middle|>", 100259, "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276)),
            "o200k_base", new Known(SplitPattern.O200K, ordered(ENDOFTEXT, 199999, "<|endofprompt|>", 200018)));

    /**
     * OpenAI's encoding {@code name} (r50k_base, p50k_base, cl100k_base or o200k_base), its ranks read from the
     * classpath resource {@code /com/knuddels/jtokkit/<name>.tiktoken} that the jtokkit jar ships. Loaded once and
     * shared.
     */
    public static BpeTokenizer tiktoken(String name) {
        Known known = known(name);
        return TIKTOKEN_LOADED.computeIfAbsent(name, n -> {
            String resource = TIKTOKEN_RESOURCES + n + ".tiktoken";
            try (InputStream in = BpeTokenizer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("tiktoken encoding " + n + ": resource " + resource
                            + " is not on the classpath; add com.knuddels:jtokkit, or pass the .tiktoken file to tiktoken(name, path)");
                }
                return new BpeTokenizer(n, known.split(), parseRanks(resource, in.readAllBytes()), null, known.specials());
            } catch (IOException e) {
                throw new IllegalStateException("tiktoken encoding " + n + ": cannot read " + resource + ": " + e.getMessage(), e);
            }
        });
    }

    /** OpenAI's encoding {@code name} with its ranks read from a {@code .tiktoken} file. */
    public static BpeTokenizer tiktoken(String name, Path rankFile) throws IOException {
        Known known = known(name);
        return fromTiktokenRanks(name, rankFile, known.split(), known.specials());
    }

    /** Any rank file in tiktoken's format (one {@code <base64 bytes> <rank>} per line), with a pattern and specials of one's choice. */
    public static BpeTokenizer fromTiktokenRanks(String name, Path rankFile, SplitPattern split,
                                                 Map<String, Integer> specials) throws IOException {
        return new BpeTokenizer(name, split, parseRanks(rankFile.toString(), Files.readAllBytes(rankFile)), null, specials);
    }

    private static Known known(String name) {
        Known known = KNOWN.get(name);
        if (known == null) {
            throw new IllegalArgumentException("unknown tiktoken encoding '" + name + "', expected one of "
                    + new java.util.TreeSet<>(KNOWN.keySet()));
        }
        return known;
    }

    private static byte[][] parseRanks(String source, byte[] file) throws IOException {
        List<byte[]> tokens = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        int maxRank = -1;
        int line = 0;
        for (int at = 0; at < file.length; ) {
            int end = at;
            while (end < file.length && file[end] != '\n') end++;
            line++;
            int stop = end > at && file[end - 1] == '\r' ? end - 1 : end;
            if (stop > at) {
                int space = at;
                while (space < stop && file[space] != ' ') space++;
                String text = new String(file, at, stop - at, StandardCharsets.ISO_8859_1);
                if (space == stop) throw new IOException(source + " line " + line + ": expected '<base64> <rank>', got '" + TokenizerFiles.abbreviate(text) + "'");
                try {
                    byte[] token = b64.decode(new String(file, at, space - at, StandardCharsets.ISO_8859_1));
                    int rank = Integer.parseInt(new String(file, space + 1, stop - space - 1, StandardCharsets.ISO_8859_1));
                    if (rank < 0) throw new NumberFormatException("negative");
                    tokens.add(token);
                    ranks.add(rank);
                    maxRank = Math.max(maxRank, rank);
                } catch (IllegalArgumentException e) {
                    throw new IOException(source + " line " + line + ": expected '<base64> <rank>', got '"
                            + TokenizerFiles.abbreviate(text) + "' (" + e.getMessage() + ")");
                }
            }
            at = end + 1;
        }
        if (maxRank < 0) throw new IOException(source + ": no ranks in the file");
        byte[][] byRank = new byte[maxRank + 1][];
        for (int i = 0; i < tokens.size(); i++) {
            int r = ranks.get(i);
            if (byRank[r] != null) throw new IOException(source + ": rank " + r + " appears twice");
            byRank[r] = tokens.get(i);
        }
        return byRank;
    }

    private static Map<String, Integer> ordered(Object... tokenThenId) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < tokenThenId.length; i += 2) m.put((String) tokenThenId[i], (Integer) tokenThenId[i + 1]);
        return Collections.unmodifiableMap(m);
    }

    // ---------------------------------------------------------------- encoding

    /** Like tiktoken's default: the text of a special token anywhere in {@code text} is an error. */
    @Override
    public int[] encode(String text) {
        return encode(text, AllowedSpecial.none());
    }

    /**
     * Encodes {@code text}, turning the allowed special tokens into their ids; the text of any other special
     * token is refused with its position.
     */
    public int[] encode(String text, AllowedSpecial allowed) {
        Work w = new Work();
        if (specials.isEmpty()) {
            encodeSegment(text, 0, text.length(), w);
            return w.out.toArray();
        }
        if (allowed.named() != null) {
            for (String t : allowed.named()) {
                if (!specials.containsKey(t)) {
                    throw new IllegalArgumentException(name + ": allowed special '" + t + "' is not one of its special tokens "
                            + specials.keySet());
                }
            }
        }
        int firstBad = -1;
        String bad = null;
        for (String t : specials.keySet()) {
            if (allowed.allows(t)) continue;
            int at = text.indexOf(t);
            if (at >= 0 && (firstBad < 0 || at < firstBad)) {
                firstBad = at;
                bad = t;
            }
        }
        if (bad != null) {
            throw new IllegalArgumentException(name + ": the text contains the special token '" + bad + "' at index "
                    + firstBad + ", which is not allowed (allowed: " + allowed + "); pass AllowedSpecial.of(\"" + bad
                    + "\") or all() to encode it as id " + specials.get(bad) + ", or use encodeOrdinary to encode it as plain text");
        }
        int from = 0;
        while (true) {
            int next = -1;
            String found = null;
            for (String t : specials.keySet()) {
                if (!allowed.allows(t)) continue;
                int at = text.indexOf(t, from);
                if (at >= 0 && (next < 0 || at < next || (at == next && t.length() > found.length()))) {
                    next = at;
                    found = t;
                }
            }
            if (found == null) break;
            encodeSegment(text, from, next, w);
            w.out.add(specials.get(found));
            from = next + found.length();
        }
        encodeSegment(text, from, text.length(), w);
        return w.out.toArray();
    }

    /** Encodes {@code text} with no special tokens at all: their text is ordinary text. */
    public int[] encodeOrdinary(String text) {
        Work w = new Work();
        encodeSegment(text, 0, text.length(), w);
        return w.out.toArray();
    }

    /** The chunks {@code text} is cut into before merging (for inspection and tests). */
    public List<String> chunks(String text) {
        if (pattern == null) return text.isEmpty() ? List.of() : List.of(text);
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** Per-call scratch space: grown as needed, never shared between threads. */
    private static final class Work {
        final IntBuf out = new IntBuf(256);
        byte[] bytes = new byte[256];
        int[] starts = new int[257];      // part i covers bytes[starts[i], starts[i + 1])
        int[] ids = new int[256];         // the token of part i
        int[] ranks = new int[256];       // the merged id of parts i and i + 1, or NO_MERGE
        int[] next = new int[0];
        int[] prev = new int[0];
        int[] idAt = new int[0];
        int[] rankAt = new int[0];
        long[] heap = new long[0];

        void ensure(int n) {
            if (bytes.length < n) {
                int cap = Math.max(n, bytes.length * 2);
                bytes = new byte[cap];
                starts = new int[cap + 1];
                ids = new int[cap];
                ranks = new int[cap];
            }
        }
    }

    private void encodeSegment(String text, int from, int to, Work w) {
        if (from >= to) return;
        if (pattern == null) {
            encodeChunk(text, from, to, w);
            return;
        }
        // Opaque region bounds: the pattern sees the segment as the whole text (\z and the (?!\S) look-ahead stop
        // at a special token), which is what tiktoken does by running the regex on each piece between specials.
        Matcher m = pattern.matcher(text).region(from, to);
        while (m.find()) {
            int s = m.start();
            int e = m.end();
            if (e - s <= CACHED_CHUNK) {
                String key = text.substring(s, e);
                int[] hit = chunkCache.get(key);
                if (hit != null) {
                    w.out.addAll(hit);
                    continue;
                }
                int before = w.out.size;
                encodeChunk(text, s, e, w);
                if (chunkCache.size() >= CACHE_LIMIT) chunkCache.clear();
                chunkCache.put(key, Arrays.copyOfRange(w.out.data, before, w.out.size));
            } else {
                encodeChunk(text, s, e, w);
            }
        }
    }

    /** Appends the tokens of text[from, to) to w.out. */
    private void encodeChunk(String text, int from, int to, Work w) {
        w.ensure(3 * (to - from));
        int n = utf8(text, from, to, w.bytes);
        byte[] b = w.bytes;
        if (n == 1) {
            w.out.add(byteIds[b[0] & 0xFF]);
            return;
        }
        if (merges == null) {
            int whole = vocab.id(b, 0, n);   // most chunks are a single token: one lookup, no merging
            if (whole >= 0) {
                w.out.add(whole);
                return;
            }
        }
        if (n <= SHORT_CHUNK) mergeShort(n, w);
        else mergeLong(n, w);
    }

    /** tiktoken's loop: scan for the lowest-ranked pair, merge it, re-rank its two neighbours. O(n^2), fast for small n. */
    private void mergeShort(int n, Work w) {
        byte[] b = w.bytes;
        int[] starts = w.starts;
        int[] ids = w.ids;
        int[] ranks = w.ranks;
        int parts = n;
        for (int i = 0; i < n; i++) {
            starts[i] = i;
            ids[i] = byteIds[b[i] & 0xFF];
        }
        starts[n] = n;
        for (int i = 0; i + 1 < parts; i++) ranks[i] = pairRank(b, starts, ids, i, parts);
        while (parts > 1) {
            int best = 0;
            int min = ranks[0];
            for (int i = 1; i + 1 < parts; i++) {
                if (ranks[i] < min) {
                    min = ranks[i];
                    best = i;
                }
            }
            if (min == NO_MERGE) break;
            ids[best] = min;
            int tail = parts - best - 2;
            System.arraycopy(starts, best + 2, starts, best + 1, tail + 1);
            System.arraycopy(ids, best + 2, ids, best + 1, tail);
            System.arraycopy(ranks, best + 2, ranks, best + 1, Math.max(0, tail - 1));
            parts--;
            if (best + 1 < parts) ranks[best] = pairRank(b, starts, ids, best, parts);
            if (best > 0) ranks[best - 1] = pairRank(b, starts, ids, best - 1, parts);
        }
        w.out.addAll(ids, parts);
    }

    /** The id parts i and i + 1 merge into, or NO_MERGE. */
    private int pairRank(byte[] b, int[] starts, int[] ids, int i, int parts) {
        if (merges != null) return merges.get(LongIntMap.pair(ids[i], ids[i + 1]), NO_MERGE);
        int id = vocab.id(b, starts[i], starts[i + 2]);
        return id < 0 ? NO_MERGE : id;
    }

    /**
     * The same merges as {@link #mergeShort} in O(n log n), for long chunks (a run of ten thousand spaces, or a
     * whole text under {@link SplitPattern#NONE}): parts form a linked list keyed by their first byte, and a heap of
     * (rank, position) pairs finds the lowest rank, the leftmost on a tie, exactly the pair the scan would find.
     */
    private void mergeLong(int n, Work w) {
        byte[] b = w.bytes;
        if (w.next.length < n + 1) {
            w.next = new int[n + 1];
            w.prev = new int[n + 1];
            w.idAt = new int[n + 1];
            w.rankAt = new int[n + 1];
            w.heap = new long[n];
        }
        int[] next = w.next;
        int[] prev = w.prev;
        int[] idAt = w.idAt;
        int[] rankAt = w.rankAt;
        LongHeap heap = new LongHeap(w.heap);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
            idAt[i] = byteIds[b[i] & 0xFF];
        }
        for (int i = 0; i + 1 < n; i++) {
            rankAt[i] = rankAfter(b, next, idAt, i, n);
            if (rankAt[i] != NO_MERGE) heap.push(((long) rankAt[i] << 32) | i);
        }
        rankAt[n - 1] = NO_MERGE;
        while (heap.size > 0) {
            long top = heap.pop();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            if (idAt[pos] < 0 || rankAt[pos] != rank) continue;   // stale: merged away or re-ranked
            int right = next[pos];
            idAt[pos] = rank;
            idAt[right] = -1;
            next[pos] = next[right];
            if (next[pos] < n) prev[next[pos]] = pos;
            rankAt[pos] = next[pos] < n ? rankAfter(b, next, idAt, pos, n) : NO_MERGE;
            if (rankAt[pos] != NO_MERGE) heap.push(((long) rankAt[pos] << 32) | pos);
            int left = prev[pos];
            if (left >= 0) {
                rankAt[left] = rankAfter(b, next, idAt, left, n);
                if (rankAt[left] != NO_MERGE) heap.push(((long) rankAt[left] << 32) | left);
            }
        }
        for (int i = 0; i < n; i = next[i]) w.out.add(idAt[i]);
        w.heap = heap.data;
    }

    /** The id the part at {@code pos} merges into with the part after it, or NO_MERGE. */
    private int rankAfter(byte[] b, int[] next, int[] idAt, int pos, int n) {
        int right = next[pos];
        if (merges != null) return merges.get(LongIntMap.pair(idAt[pos], idAt[right]), NO_MERGE);
        int id = vocab.id(b, pos, next[right]);
        return id < 0 ? NO_MERGE : id;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        long[] data;
        int size;

        LongHeap(long[] data) {
            this.data = data;
        }

        void push(long v) {
            if (size == data.length) data = Arrays.copyOf(data, Math.max(16, size * 2));
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (data[parent] <= v) break;
                data[i] = data[parent];
                i = parent;
            }
            data[i] = v;
        }

        long pop() {
            long top = data[0];
            long last = data[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) break;
                if (child + 1 < size && data[child + 1] < data[child]) child++;
                if (data[child] >= last) break;
                data[i] = data[child];
                i = child;
            }
            data[i] = last;
            return top;
        }
    }

    /**
     * UTF-8 of text[from, to) into {@code out}, returning the byte count. A lone surrogate becomes U+FFFD, as
     * tiktoken does (Python cannot encode it either).
     */
    private static int utf8(String s, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char d = i + 1 < to ? s.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(d)) {
                    int cp = Character.toCodePoint(c, d);
                    i++;
                    out[n++] = (byte) (0xF0 | (cp >> 18));
                    out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    out[n++] = (byte) 0xEF;
                    out[n++] = (byte) 0xBF;
                    out[n++] = (byte) 0xBD;
                }
            } else {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    /** A growable int array. */
    private static final class IntBuf {
        int[] data;
        int size;

        IntBuf(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        void addAll(int[] v) {
            addAll(v, v.length);
        }

        void addAll(int[] v, int count) {
            if (size + count > data.length) data = Arrays.copyOf(data, Math.max(size + count, data.length * 2));
            System.arraycopy(v, 0, data, size, count);
            size += count;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of {@code ids} joined; a token may end inside a UTF-8 sequence, which this keeps intact. */
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) total += tokenLength(id);
        byte[] out = new byte[total];
        int at = 0;
        for (int id : ids) {
            if (vocab.has(id)) {
                at = vocab.copy(id, out, at);
            } else {
                byte[] sp = specialById.get(id).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(sp, 0, out, at, sp.length);
                at += sp.length;
            }
        }
        return out;
    }

    /** The bytes of one token (a special token's are its UTF-8 text). */
    public byte[] tokenBytes(int id) {
        tokenLength(id);
        return vocab.has(id) ? vocab.bytes(id) : specialById.get(id).getBytes(StandardCharsets.UTF_8);
    }

    private int tokenLength(int id) {
        if (vocab.has(id)) return vocab.length(id);
        String sp = specialById.get(id);
        if (sp != null) return sp.getBytes(StandardCharsets.UTF_8).length;
        if (id < 0 || id >= vocabSize) throw TokenizerFiles.outside(id, vocabSize);
        throw new IllegalArgumentException("token id " + id + " is not assigned in " + name + " (a gap in its ids)");
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String name() {
        return name;
    }

    public SplitPattern splitPattern() {
        return split;
    }

    /** Special token text -> id, in the order they were given. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** The learned merges in order, merge i as {@code {left, right}} making id 256 + i; empty for rank-based tokenizers. */
    public int[][] merges() {
        if (mergeList == null) return new int[0][];
        int[][] out = new int[mergeList.length][];
        for (int i = 0; i < out.length; i++) out[i] = new int[] {LongIntMap.left(mergeList[i]), LongIntMap.right(mergeList[i])};
        return out;
    }

    private byte[][] allBytes() {
        byte[][] out = new byte[vocab.size()][];
        for (int id = 0; id < out.length; id++) if (vocab.has(id)) out[id] = vocab.bytes(id);
        return out;
    }

    /**
     * Our own text format: header lines (name, split pattern, special tokens), then either the merges, one
     * {@code left right} pair per line, or the ranks as in a .tiktoken file ({@code base64 rank}).
     */
    @Override
    public void save(Path path) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(TokenizerFiles.header(KIND));
        lines.add("name " + TokenizerFiles.escape(name));
        lines.add("split " + split.name());
        lines.add("regex " + (split.regex() == null ? "" : TokenizerFiles.escape(split.regex())));
        lines.add("specials " + specials.size());
        for (Map.Entry<String, Integer> e : specials.entrySet()) lines.add(e.getValue() + " " + TokenizerFiles.escape(e.getKey()));
        if (mergeList != null) {
            lines.add("merges " + mergeList.length);
            for (long m : mergeList) lines.add(LongIntMap.left(m) + " " + LongIntMap.right(m));
        } else {
            Base64.Encoder b64 = Base64.getEncoder();
            int count = 0;
            for (int id = 0; id < vocab.size(); id++) if (vocab.has(id)) count++;
            lines.add("ranks " + count);
            for (int id = 0; id < vocab.size(); id++) {
                if (vocab.has(id)) lines.add(b64.encodeToString(vocab.bytes(id)) + " " + id);
            }
        }
        TokenizerFiles.writeAtomically(path, lines);
    }

    static BpeTokenizer read(Path path, List<String> lines) throws IOException {
        String name = TokenizerFiles.unescape(TokenizerFiles.value(path, lines, 1, "name"));
        String splitName = TokenizerFiles.value(path, lines, 2, "split");
        String regex = TokenizerFiles.value(path, lines, 3, "regex");
        SplitPattern split;
        try {
            split = regex.isEmpty() ? SplitPattern.NONE : new SplitPattern(splitName, TokenizerFiles.unescape(regex));
        } catch (IllegalArgumentException e) {
            throw TokenizerFiles.bad(path, 3, e.getMessage());
        }
        int nSpecial = TokenizerFiles.intValue(path, lines, 4, "specials");
        Map<String, Integer> specials = new LinkedHashMap<>();
        int at = 5;
        for (int i = 0; i < nSpecial; i++, at++) {
            String line = at < lines.size() ? lines.get(at) : "";
            int space = line.indexOf(' ');
            try {
                specials.put(TokenizerFiles.unescape(line.substring(space + 1)), Integer.parseInt(line.substring(0, space)));
            } catch (RuntimeException e) {
                throw TokenizerFiles.bad(path, at, "expected '<id> <special token>', got '" + TokenizerFiles.abbreviate(line) + "'");
            }
        }
        String mode = at < lines.size() ? lines.get(at).split(" ")[0] : "";
        if (!mode.equals("merges") && !mode.equals("ranks")) {
            throw TokenizerFiles.bad(path, at, "expected 'merges <count>' or 'ranks <count>'");
        }
        int count = TokenizerFiles.intValue(path, lines, at, mode);
        at++;
        if (lines.size() - at != count) {
            throw new IOException("tokenizer file " + path + ": header says " + count + " " + mode + ", file has " + (lines.size() - at));
        }
        try {
            if (mode.equals("merges")) {
                long[] list = new long[count];
                for (int i = 0; i < count; i++) {
                    String[] parts = lines.get(at + i).split(" ");
                    if (parts.length != 2) throw TokenizerFiles.bad(path, at + i, "expected '<left> <right>', got '" + TokenizerFiles.abbreviate(lines.get(at + i)) + "'");
                    list[i] = LongIntMap.pair(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                }
                return fromMerges(name, split, list, specials);
            }
            StringBuilder ranks = new StringBuilder();
            for (int i = at; i < lines.size(); i++) ranks.append(lines.get(i)).append('\n');
            byte[][] byRank = parseRanks(path.toString(), ranks.toString().getBytes(StandardCharsets.ISO_8859_1));
            return new BpeTokenizer(name, split, byRank, null, specials);
        } catch (NumberFormatException e) {
            throw new IOException("tokenizer file " + path + ": a merge id is not an integer: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException("tokenizer file " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + name + ", vocab " + vocabSize + ", split " + split.name() + ", specials " + specials.keySet() + "]";
    }
}
