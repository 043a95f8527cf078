package dev.tinygen.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
    @Test
    void countsAndInsertionOrderMatchAHashMapThroughManyGrowths() {
        // Starting at the smallest capacity, 20,000 distinct pairs force eleven growths, each in the middle of an add.
        LongIntMap map = new LongIntMap(1);
        Map<Long, Integer> reference = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long key = LongIntMap.pair(rnd.nextInt(200), rnd.nextInt(100));
            int delta = 1 + rnd.nextInt(3);
            map.add(key, delta);
            reference.merge(key, delta, Integer::sum);
        }
        assertEquals(reference.size(), map.size());
        List<Long> keys = new ArrayList<>(reference.keySet());
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(keys.get(i), map.keyAt(i), "insertion order at " + i);
            assertEquals(reference.get(keys.get(i)), map.valueAt(i), "count of the " + i + "-th pair");
            assertEquals(reference.get(keys.get(i)), map.get(keys.get(i), -1));
        }
    }

    @Test
    void putOverwritesAcrossGrowth() {
        LongIntMap map = new LongIntMap(1);
        Map<Long, Integer> reference = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            long key = LongIntMap.pair(i % 3_000, i % 7);
            map.put(key, i);
            reference.put(key, i);
        }
        for (var e : reference.entrySet()) assertEquals(e.getValue(), map.get(e.getKey(), -1), "key " + e.getKey());
        assertEquals(-1, map.get(LongIntMap.pair(5_000, 1), -1));
    }
}
