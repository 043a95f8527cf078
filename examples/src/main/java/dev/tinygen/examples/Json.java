package dev.tinygen.examples;

import java.util.Locale;

/** One flat JSON object on one line, from alternating keys and values (strings, numbers, booleans). */
public final class Json {
    private Json() {}

    public static String line(Object... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("Json.line: expected key/value pairs, got " + kv.length + " items");
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(quote(String.valueOf(kv[i]))).append(':');
            Object v = kv[i + 1];
            if (v instanceof Double d) sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
            else if (v instanceof Float f) sb.append(Float.isFinite(f) ? String.format(Locale.ROOT, "%.6g", f) : "null");
            else if (v instanceof Number || v instanceof Boolean) sb.append(v);
            else sb.append(quote(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    public static String quote(String s) {
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
