package dev.wsstudy.loadgen;

import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The options of a run as summary.json {@code params} (field names) and as worker arguments. */
final class Params {
    private Params() {}

    /** Every option by field name, in declaration order; unset ones as null. */
    static Map<String, Object> of(RunOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : RunOptions.class.getDeclaredFields()) {
            if (f.getAnnotation(Option.class) == null) continue;
            Object v = get(f, o);
            m.put(f.getName(), v instanceof Path p ? p.toString() : v);
        }
        return m;
    }

    /** {@code --name=value} for every set option (lists joined by commas, true flags bare). */
    static List<String> asArgs(RunOptions o) {
        List<String> a = new ArrayList<>();
        for (Field f : RunOptions.class.getDeclaredFields()) {
            Option opt = f.getAnnotation(Option.class);
            if (opt == null) continue;
            Object v = get(f, o);
            String name = opt.names()[0];
            if (v == null || v instanceof Boolean b && !b) continue;
            if (v instanceof Boolean) a.add(name);
            else if (v instanceof Collection<?> c) {
                if (!c.isEmpty()) a.add(name + "=" + c.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else a.add(name + "=" + v);
        }
        return a;
    }

    private static Object get(Field f, RunOptions o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
