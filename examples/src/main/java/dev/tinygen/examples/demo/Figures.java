package dev.tinygen.examples.demo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        StringBuilder sb = new StringBuilder("{");
        for (var e : values.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Double d) sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
            else if (v instanceof Float f) sb.append(Float.isFinite(f) ? String.format(Locale.ROOT, "%.6g", f) : "null");
            else if (v instanceof Number || v instanceof Boolean) sb.append(v);
            else sb.append(quote(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
