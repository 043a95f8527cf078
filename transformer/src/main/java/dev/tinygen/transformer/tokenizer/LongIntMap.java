package dev.tinygen.transformer.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing map from a non-negative {@code long} (a pair of token ids, {@code left << 32 | right}) to an
 * {@code int}, that remembers insertion order. BPE training needs that order: minbpe breaks a tie between
 * equally frequent pairs in favour of the pair seen first, and so must we to give the same merges.
 */
final class LongIntMap {
    private static final long EMPTY = -1L;
    private long[] keys;
    private int[] values;
    private int[] order;      // slots in insertion order
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        order = new int[capacity / 2];
        mask = capacity - 1;
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    /** The value of {@code key}, or {@code missing}. */
    int get(long key, int missing) {
        for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) return values[slot];
            if (k == EMPTY) return missing;
        }
    }

    // slotFor may grow the table and replace `values`; Java reads the array reference of `values[slotFor(key)]`
    // before the index is computed, so the slot must be found first or the write lands in the discarded array.
    void put(long key, int value) {
        int slot = slotFor(key);
        values[slot] = value;
    }

    void add(long key, int delta) {
        int slot = slotFor(key);
        values[slot] += delta;
    }

    int size() {
        return size;
    }

    /** The i-th key inserted. */
    long keyAt(int i) {
        return keys[order[i]];
    }

    int valueAt(int i) {
        return values[order[i]];
    }

    /** Empties the map, keeping its capacity; costs the number of entries, not the capacity. */
    void clear() {
        for (int i = 0; i < size; i++) {
            keys[order[i]] = EMPTY;
            values[order[i]] = 0;
        }
        size = 0;
    }

    private int slotFor(long key) {
        if (key < 0) throw new IllegalArgumentException("pair key must be non-negative, got " + key);
        int slot = mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) return slot;
            if (k == EMPTY) break;
            slot = (slot + 1) & mask;
        }
        if (size + 1 > order.length) {
            grow();
            return slotFor(key);
        }
        keys[slot] = key;
        order[size++] = slot;
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldOrder = order;
        int n = size;
        int capacity = keys.length * 2;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        order = new int[capacity / 2];
        mask = capacity - 1;
        size = 0;
        for (int i = 0; i < n; i++) put(oldKeys[oldOrder[i]], oldValues[oldOrder[i]]);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
