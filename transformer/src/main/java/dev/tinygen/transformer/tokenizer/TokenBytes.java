package dev.tinygen.transformer.tokenizer;

import java.util.Arrays;

/**
 * The byte strings of a vocabulary, stored in one flat array, with a hash index from a byte slice back to its id.
 * The index is what makes rank-based BPE fast: the merge loop asks "is bytes[from, to) a token?" thousands of
 * times per kilobyte, and here that question costs a hash over the slice and one comparison, with no key object.
 */
final class TokenBytes {
    private final byte[] pool;
    private final int[] offset;   // (V) where id's bytes start in pool
    private final int[] length;   // (V) -1 where the id holds no bytes (a gap, or a special token)
    private final int[] table;    // open addressing: id + 1, 0 for empty
    private final int mask;

    /** {@code bytesById[id]} is the token's bytes, or null where the id is unassigned. */
    TokenBytes(byte[][] bytesById) {
        int total = 0;
        int count = 0;
        for (byte[] b : bytesById) {
            if (b != null) {
                total += b.length;
                count++;
            }
        }
        pool = new byte[total];
        offset = new int[bytesById.length];
        length = new int[bytesById.length];
        int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
        table = new int[capacity];
        mask = capacity - 1;
        int at = 0;
        for (int id = 0; id < bytesById.length; id++) {
            byte[] b = bytesById[id];
            if (b == null) {
                length[id] = -1;
                continue;
            }
            System.arraycopy(b, 0, pool, at, b.length);
            offset[id] = at;
            length[id] = b.length;
            at += b.length;
            if (id(pool, at - b.length, at) < 0) {      // the first id wins when two share bytes
                int slot = hash(pool, at - b.length, at) & mask;
                while (table[slot] != 0) slot = (slot + 1) & mask;
                table[slot] = id + 1;
            }
        }
    }

    /** The id whose bytes equal {@code b[from, to)}, or -1. */
    int id(byte[] b, int from, int to) {
        int len = to - from;
        int slot = hash(b, from, to) & mask;
        for (int e; (e = table[slot]) != 0; slot = (slot + 1) & mask) {
            int id = e - 1;
            if (length[id] == len && Arrays.equals(pool, offset[id], offset[id] + len, b, from, to)) return id;
        }
        return -1;
    }

    /** One more than the largest id. */
    int size() {
        return offset.length;
    }

    boolean has(int id) {
        return id >= 0 && id < length.length && length[id] >= 0;
    }

    byte[] bytes(int id) {
        return Arrays.copyOfRange(pool, offset[id], offset[id] + length[id]);
    }

    int length(int id) {
        return length[id];
    }

    /** Copies id's bytes into {@code dst} at {@code at}; returns the position after them. */
    int copy(int id, byte[] dst, int at) {
        System.arraycopy(pool, offset[id], dst, at, length[id]);
        return at + length[id];
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) h = (h ^ b[i]) * 0x01000193;
        return h ^ (h >>> 15);
    }
}
