package chat.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * A scenario's figures as a record, written into its result line and read back by the report
 * with the same record: a misspelt figure is then a compile error on either side, not a "—" in
 * docs/BENCHMARKS.md. A component {@code allCaughtUpS} is the JSON key {@code all_caught_up_s}.
 *
 * <p>Components may be {@code double}, {@code long}, {@code int}, {@code boolean},
 * {@code String}, or records of those (written flat: {@code base} of {@code p99Ms} is
 * {@code base_p99_ms}). Reading a row that lacks a component, or holds the wrong kind of value, throws:
 * the report says so instead of printing a table with holes.
 */
final class Figures {

    private Figures() {}

    /** Puts every component of {@code figures} into {@code r}. */
    static Result put(Result r, Record figures) {
        put(r, "", figures);
        return r;
    }

    private static void put(Result r, String prefix, Record figures) {
        for (RecordComponent c : figures.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(figures);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + figures.getClass(), e);
            }
            if (v instanceof Record nested) {
                put(r, prefix + key(c.getName()) + "_", nested);
            } else {
                r.put(prefix + key(c.getName()), v);
            }
        }
    }

    /** The record of type {@code type} that {@link #put} wrote into {@code row}. */
    static <R extends Record> R read(Class<R> type, Map<String, Object> row) {
        return read(type, row, "");
    }

    /** A component that is itself a record is written flat, its keys prefixed with the component's. */
    private static <R extends Record> R read(Class<R> type, Map<String, Object> row, String prefix) {
        RecordComponent[] cs = type.getRecordComponents();
        var types = new Class<?>[cs.length];
        var values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            String key = prefix + key(cs[i].getName());
            if (types[i].isRecord()) {
                values[i] = read(types[i].asSubclass(Record.class), row, key + "_");
                continue;
            }
            if (!row.containsKey(key)) {
                throw new IllegalArgumentException("the result row lacks " + key);
            }
            values[i] = convert(row.get(key), types[i], key);
        }
        try {
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e);
        }
    }

    private static Object convert(Object v, Class<?> type, String key) {
        if (type == String.class) {
            return v == null ? "" : v.toString();
        }
        if (type == boolean.class && v instanceof Boolean b) {
            return b;
        }
        if (type == double.class) {
            // Result writes NaN as null.
            return v == null ? Double.NaN : number(v, key);
        }
        if (type == long.class) {
            return (long) number(v, key);
        }
        if (type == int.class) {
            return (int) number(v, key);
        }
        throw new IllegalArgumentException(key + ": cannot read " + v + " as " + type.getSimpleName());
    }

    private static double number(Object v, String key) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " is not a number: " + v);
    }

    /** {@code allCaughtUpS} → {@code all_caught_up_s}; {@code p99Ms} → {@code p99_ms}. */
    static String key(String component) {
        var sb = new StringBuilder(component.length() + 8);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
