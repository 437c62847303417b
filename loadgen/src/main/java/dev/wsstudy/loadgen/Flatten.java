package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** summary.json to one CSV row (nested keys joined with '.'), and the adding merge of scenario details. */
final class Flatten {
    private Flatten() {}

    static Map<String, String> flatten(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        add(out, "", m);
        return out;
    }

    private static void add(Map<String, String> out, String prefix, Object v) {
        if (v instanceof Map<?, ?> map) {
            if (map.isEmpty() && !prefix.isEmpty()) out.put(prefix.substring(0, prefix.length() - 1), "");
            map.forEach((k, x) -> add(out, prefix + k + ".", x));
        } else if (v instanceof JsonNode n && n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                add(out, prefix + e.getKey() + ".", e.getValue());
            }
        } else {
            String key = prefix.substring(0, prefix.length() - 1);
            if (v == null || v instanceof JsonNode n && n.isNull()) out.put(key, "");
            else if (v instanceof JsonNode n) out.put(key, n.isValueNode() ? n.asText() : n.toString());
            else if (v instanceof Collection<?> c) out.put(key, c.stream().map(String::valueOf).collect(Collectors.joining(";")));
            else out.put(key, String.valueOf(v));
        }
    }

    static String csvLine(Collection<String> cells) {
        return cells.stream().map(Flatten::cell).collect(Collectors.joining(","));
    }

    private static String cell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Adds {@code from} into {@code into}: numbers summed, maps merged, lists concatenated. */
    @SuppressWarnings("unchecked")
    static void mergeAdding(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            Object old = into.get(k);
            if (old == null) into.put(k, v instanceof Map<?, ?> mv ? new LinkedHashMap<>((Map<String, Object>) mv) : v);
            else if (old instanceof Number a && v instanceof Number b) {
                into.put(k, (a instanceof Double || b instanceof Double) ? a.doubleValue() + b.doubleValue() : a.longValue() + b.longValue());
            } else if (old instanceof Map<?, ?> a && v instanceof Map<?, ?> b) {
                mergeAdding((Map<String, Object>) a, (Map<String, Object>) b);
            } else if (old instanceof List<?> a && v instanceof List<?> b) {
                List<Object> l = new java.util.ArrayList<>(a);
                l.addAll(b);
                into.put(k, l);
            }
        });
    }
}
