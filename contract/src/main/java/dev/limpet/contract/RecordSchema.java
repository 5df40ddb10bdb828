package dev.limpet.contract;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fabric8 schema annotations of a record's components ({@link Default}, {@link Min},
 * {@link Max}, {@link Size}, {@link Pattern}, {@link Required}), so that the defaults and bounds
 * the CRD schema states are the ones the contract applies and checks.
 */
final class RecordSchema {
  /**
   * What is read of each record type, once: {@link Class#getRecordComponents} hands out fresh
   * accessors whose annotations are parsed anew on every read, which made a render of a group with
   * 1,000 persistence profiles spend a fifth of its time parsing the same annotations.
   */
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  /** One record component: its accessor and the schema annotations on it. */
  private record Component(
      RecordComponent component,
      Method accessor,
      Default defaultValue,
      Min min,
      Max max,
      Size size,
      Pattern pattern,
      java.util.regex.Pattern compiledPattern,
      boolean required) {

    static Component of(RecordComponent c) {
      Method accessor = c.getAccessor();
      Pattern pattern = accessor.getAnnotation(Pattern.class);
      return new Component(
          c,
          accessor,
          accessor.getAnnotation(Default.class),
          accessor.getAnnotation(Min.class),
          accessor.getAnnotation(Max.class),
          accessor.getAnnotation(Size.class),
          pattern,
          pattern == null ? null : java.util.regex.Pattern.compile(pattern.value()),
          accessor.isAnnotationPresent(Required.class));
    }

    String name() {
      return component.getName();
    }

    Object value(Object record) {
      try {
        return accessor.invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(component + " cannot be read", e);
      }
    }
  }

  /** A record type's components, in declaration order, and its canonical constructor. */
  private record Shape(List<Component> components, Constructor<?> constructor) {
    static Shape of(Class<?> type) {
      if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] types =
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      try {
        return new Shape(
            Arrays.stream(components).map(Component::of).toList(),
            type.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type + " cannot be constructed", e);
      }
    }
  }

  private RecordSchema() {}

  /** A record of {@code type} with every component null. */
  static <T> T empty(Class<T> type) {
    return construct(type, new Object[SHAPES.get(type).components().size()]);
  }

  /** {@code record} with each null component that has a {@link Default} set to that default. */
  static <T> T withDefaults(T record) {
    List<Component> components = SHAPES.get(record.getClass()).components();
    Object[] values = new Object[components.size()];
    boolean changed = false;
    for (int i = 0; i < values.length; i++) {
      Component c = components.get(i);
      values[i] = c.value(record);
      if (values[i] == null && c.defaultValue() != null) {
        values[i] = parse(c.component(), c.defaultValue().value());
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
    for (Component c : SHAPES.get(record.getClass()).components()) {
      Object value = c.value(record);
      String problem = value == null ? (c.required() ? "is required" : null) : problem(c, value);
      if (problem != null) problems.put(c.name(), problem);
    }
    return problems;
  }

  private static String problem(Component c, Object value) {
    if (value instanceof Number n) {
      Min min = c.min();
      Max max = c.max();
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
      Size size = c.size();
      if (size != null && s.length() > size.max())
        return "is longer than " + size.max() + " characters";
      if (size != null && s.length() < size.min())
        return "is shorter than " + size.min() + " characters";
      // find(), as OpenAPI's pattern (an ECMA regex, unanchored unless it says so)
      if (c.pattern() != null && !c.compiledPattern().matcher(s).find())
        return "'" + s + "' does not match " + c.pattern().value();
    }
    return null;
  }

  private static String bound(double value, boolean whole) {
    return whole ? Long.toString((long) value) : Double.toString(value);
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

  private static <T> T construct(Class<T> type, Object[] values) {
    try {
      return type.cast(SHAPES.get(type).constructor().newInstance(values));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " cannot be constructed", e);
    }
  }
}
