package dev.tinygen.examples.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.tinygen.examples.Json;

/** The figures of one demo run, in insertion order, printed as one flat JSON object on one line. */
public final class Figures {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds a number, string or boolean; a repeated key replaces its value in place. */
    public Figures put(String key, Object value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("figures: a key must be non-empty, got '" + key + "'");
        values.put(key, value);
        return this;
    }

    public Object get(String key) {
        return values.get(key);
    }

    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** One line of JSON; non-finite numbers become {@code null} so the line always parses. */
    public String toJson() {
        Object[] kv = new Object[values.size() * 2];
        int i = 0;
        for (var e : values.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return Json.line(kv);
    }
}
