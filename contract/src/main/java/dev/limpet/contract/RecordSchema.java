package dev.limpet.contract;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fabric8 schema annotations of a record's components ({@link Default}, {@link Min},
 * {@link Max}, {@link Size}, {@link Pattern}, {@link Required}), so that the defaults and bounds
 * the CRD schema states are the ones the contract applies and checks.
 */
final class RecordSchema {
  private RecordSchema() {}

  /** A record of {@code type} with every component null. */
  static <T> T empty(Class<T> type) {
    return construct(type, new Object[components(type).length]);
  }

  /** {@code record} with each null component that has a {@link Default} set to that default. */
  static <T> T withDefaults(T record) {
    RecordComponent[] components = components(record.getClass());
    Object[] values = new Object[components.length];
    boolean changed = false;
    for (int i = 0; i < components.length; i++) {
      values[i] = value(components[i], record);
      Default d = components[i].getAccessor().getAnnotation(Default.class);
      if (values[i] == null && d != null) {
        values[i] = parse(components[i], d.value());
        changed = true;
      }
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    return changed ? construct(type, values) : record;
  }

  /**
   * Every component of {@code record} outside its annotated bounds, {@code component → message}, in
   * declaration order.
   */
  static Map<String, String> problems(Object record) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (RecordComponent c : components(record.getClass())) {
      Object value = value(c, record);
      String problem = value == null ? missing(c) : problem(c, value);
      if (problem != null) problems.put(c.getName(), problem);
    }
    return problems;
  }

  private static String missing(RecordComponent c) {
    return c.getAccessor().isAnnotationPresent(Required.class) ? "is required" : null;
  }

  private static String problem(RecordComponent c, Object value) {
    var accessor = c.getAccessor();
    if (value instanceof Number n) {
      Min min = accessor.getAnnotation(Min.class);
      Max max = accessor.getAnnotation(Max.class);
      double v = n.doubleValue();
      boolean low = min != null && (min.inclusive() ? v < min.value() : v <= min.value());
      boolean high = max != null && (max.inclusive() ? v > max.value() : v >= max.value());
      if (low || high) {
        boolean whole = !(value instanceof Double || value instanceof Float);
        return value
            + " is out of range "
            + (min == null ? "" : bound(min.value(), whole))
            + ".."
            + (max == null ? "" : bound(max.value(), whole));
      }
    } else if (value instanceof String s) {
      Size size = accessor.getAnnotation(Size.class);
      if (size != null && s.length() > size.max())
        return "is longer than " + size.max() + " characters";
      if (size != null && s.length() < size.min())
        return "is shorter than " + size.min() + " characters";
      Pattern pattern = accessor.getAnnotation(Pattern.class);
      // find(), as OpenAPI's pattern (an ECMA regex, unanchored unless it says so)
      if (pattern != null && !java.util.regex.Pattern.compile(pattern.value()).matcher(s).find())
        return "'" + s + "' does not match " + pattern.value();
    }
    return null;
  }

  private static String bound(double value, boolean whole) {
    return whole ? Long.toString((long) value) : Double.toString(value);
  }

  private static RecordComponent[] components(Class<?> type) {
    if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
    return type.getRecordComponents();
  }

  private static Object parse(RecordComponent c, String text) {
    Class<?> type = c.getType();
    if (type == String.class) return text;
    if (type == Double.class || type == double.class) return Double.valueOf(text);
    if (type == Integer.class || type == int.class) return Integer.valueOf(text);
    if (type == Long.class || type == long.class) return Long.valueOf(text);
    if (type == Boolean.class || type == boolean.class) return Boolean.valueOf(text);
    if (type.isEnum())
      return Arrays.stream(type.getEnumConstants())
          .filter(e -> ((Enum<?>) e).name().equals(text))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(c + ": no constant " + text));
    throw new IllegalStateException(c + ": @Default on an unsupported type " + type);
  }

  private static Object value(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(c + " cannot be read", e);
    }
  }

  private static <T> T construct(Class<T> type, Object[] values) {
    Class<?>[] types =
        Arrays.stream(components(type)).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " cannot be constructed", e);
    }
  }
}
