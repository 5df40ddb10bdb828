package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.FieldBytes;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of a request head as they arrived: one copy of the field lines and the offsets of each
 * name and value, so that decoding a head builds no {@code String} and no entry per field. A value
 * becomes a {@code String} only when a stage asks for it ({@link #get}, {@link #getAll}). Edits
 * (hop-by-hop fields removed, X-Forwarded-* set, a script's changes) are kept beside the received
 * fields: a removed field is a bit, an added one an entry of a small list, in Netty's order (the
 * received fields still present, then the added ones, as {@code DefaultHttpHeaders} keeps them).
 * Added names and values go through the validators of Netty's default headers, as they would in the
 * container they replace. {@link #writeTo} writes the fields the way Netty's encoder does, copying
 * the received bytes.
 */
final class ReceivedHeaders extends HttpHeaders implements FieldBytes {
  /** The removed-field bits are one {@code long}; a head with more fields takes Netty's path. */
  static final int MAX_FIELDS = Long.SIZE;

  /** Offsets are 16 bits each; a larger field section takes Netty's path. */
  static final int MAX_SECTION = 0xFFFF;

  private static final NameValidator<CharSequence> NAMES =
      DefaultHttpHeadersFactory.headersFactory().getNameValidator();
  private static final ValueValidator<CharSequence> VALUES =
      DefaultHttpHeadersFactory.headersFactory().getValueValidator();
  private static final byte[] NO_BYTES = new byte[0];
  private static final int[] NO_SPANS = new int[0];

  /** Netty's checks of an added field: a head's, or a trailer section's (which forbid more). */
  private final NameValidator<CharSequence> nameValidator;

  private final ValueValidator<CharSequence> valueValidator;

  private final byte[] head;

  /**
   * Per received field, two ints: name start and length, value start and length (trimmed), each
   * pair as {@code start << 16 | length}.
   */
  private final int[] spans;

  private final int received;
  private long removed;

  /**
   * The value asked last, so that one asked by several stages is one String (Host: the framing
   * checks, the body buffer and the route each ask for it).
   */
  private int lastAsked = -1;

  private String lastValue;

  /** Added fields: name, value, name, value... (one array: X-Forwarded-* adds three to each). */
  private CharSequence[] addedFields;

  private int added;

  /**
   * @param head the field lines (owned from now on: never changed)
   * @param spans two packed spans per field, see {@link #pack}
   */
  ReceivedHeaders(byte[] head, int[] spans, int received) {
    this(head, spans, received, NAMES, VALUES);
  }

  private ReceivedHeaders(
      byte[] head,
      int[] spans,
      int received,
      NameValidator<CharSequence> nameValidator,
      ValueValidator<CharSequence> valueValidator) {
    this.nameValidator = nameValidator;
    this.valueValidator = valueValidator;
    if (received > MAX_FIELDS) throw new IllegalArgumentException("more than 64 fields");
    if (head.length > MAX_SECTION) throw new IllegalArgumentException("field section too large");
    this.head = head;
    this.spans = spans;
    this.received = received;
  }

  /**
   * A container with no received field that checks added fields with {@code names} and {@code
   * values}: for a message end, whose trailer section is nearly always empty, it is smaller than
   * Netty's container.
   */
  static ReceivedHeaders none(
      NameValidator<CharSequence> names, ValueValidator<CharSequence> values) {
    return new ReceivedHeaders(NO_BYTES, NO_SPANS, 0, names, values);
  }

  // ---- reading

  @Override
  public String get(String name) {
    return get((CharSequence) name);
  }

  @Override
  public String get(CharSequence name) {
    for (int i = 0; i < received; i++) if (isLive(i) && nameIs(i, name)) return value(i);
    for (int j = 0; j < added; j++)
      if (AsciiString.contentEqualsIgnoreCase(addedName(j), name)) return addedValue(j).toString();
    return null;
  }

  @Override
  public List<String> getAll(String name) {
    return getAll((CharSequence) name);
  }

  /**
   * The values of {@code name}, in order. As Netty's answer, not a view; read-only, as Netty's is
   * for no value or one (the common answers: the decoder and the framing checks ask every head).
   */
  @Override
  public List<String> getAll(CharSequence name) {
    String first = null;
    List<String> all = null;
    for (int i = 0; i < received + added; i++) {
      boolean match =
          i < received
              ? isLive(i) && nameIs(i, name)
              : AsciiString.contentEqualsIgnoreCase(addedName(i - received), name);
      if (!match) continue;
      String value = i < received ? value(i) : addedValue(i - received).toString();
      if (first == null) {
        first = value;
      } else {
        if (all == null) (all = new ArrayList<>(4)).add(first);
        all.add(value);
      }
    }
    if (all != null) return all;
    return first == null ? Collections.emptyList() : Collections.singletonList(first);
  }

  @Override
  public boolean contains(String name) {
    return contains((CharSequence) name);
  }

  @Override
  public boolean contains(CharSequence name) {
    return next(name, 0) >= 0 || added(name);
  }

  @Override
  public Integer getInt(CharSequence name) {
    String value = get(name);
    if (value == null) return null;
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  @Override
  public int getInt(CharSequence name, int defaultValue) {
    Integer value = getInt(name);
    return value != null ? value : defaultValue;
  }

  @Override
  public Short getShort(CharSequence name) {
    String value = get(name);
    if (value == null) return null;
    try {
      return Short.parseShort(value);
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  @Override
  public short getShort(CharSequence name, short defaultValue) {
    Short value = getShort(name);
    return value != null ? value : defaultValue;
  }

  @Override
  public Long getTimeMillis(CharSequence name) {
    String value = get(name);
    Date date = value == null ? null : DateFormatter.parseHttpDate(value);
    return date == null ? null : date.getTime();
  }

  @Override
  public long getTimeMillis(CharSequence name, long defaultValue) {
    Long value = getTimeMillis(name);
    return value != null ? value : defaultValue;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public int size() {
    return received - Long.bitCount(removed) + added;
  }

  @Override
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>(); // as Netty's: each spelling of a name once
    for (int i = 0; i < received; i++) if (isLive(i)) names.add(name(i).toString());
    for (int j = 0; j < added; j++) names.add(addedName(j).toString());
    return names;
  }

  @Override
  public List<Map.Entry<String, String>> entries() {
    List<Map.Entry<String, String>> entries = new ArrayList<>(size());
    for (int i = 0; i < received; i++) {
      if (isLive(i)) entries.add(new SimpleImmutableEntry<>(name(i).toString(), value(i)));
    }
    for (int j = 0; j < added; j++)
      entries.add(new SimpleImmutableEntry<>(addedName(j).toString(), addedValue(j).toString()));
    return entries;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return entries().iterator();
  }

  /**
   * Hands every field to {@code action} in the order {@link #iteratorCharSequence} gives them, with
   * no entry or list per field: a value is a view of the received bytes.
   */
  void forEachField(BiConsumer<CharSequence, CharSequence> action) {
    for (int i = 0; i < received; i++) {
      if (isLive(i))
        action.accept(name(i), new AsciiString(head, valueStart(i), valueLength(i), false));
    }
    for (int j = 0; j < added; j++) action.accept(addedName(j), addedValue(j));
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
    List<Map.Entry<CharSequence, CharSequence>> entries = new ArrayList<>(size());
    for (int i = 0; i < received; i++) {
      if (!isLive(i)) continue;
      entries.add(
          new SimpleImmutableEntry<>(
              name(i), new AsciiString(head, valueStart(i), valueLength(i), false)));
    }
    for (int j = 0; j < added; j++)
      entries.add(new SimpleImmutableEntry<>(addedName(j), addedValue(j)));
    return entries.iterator();
  }

  // ---- reading as bytes

  @Override
  public byte[] bytes() {
    return head;
  }

  @Override
  public int next(CharSequence name, int from) {
    for (int i = Math.max(from, 0); i < received; i++) if (isLive(i) && nameIs(i, name)) return i;
    return -1;
  }

  @Override
  public int valueStart(int field) {
    return spans[field * 2 + 1] >>> 16;
  }

  @Override
  public int valueEnd(int field) {
    return valueStart(field) + valueLength(field);
  }

  @Override
  public boolean added(CharSequence name) {
    for (int j = 0; j < added; j++)
      if (AsciiString.contentEqualsIgnoreCase(addedName(j), name)) return true;
    return false;
  }

  // ---- editing

  @Override
  public HttpHeaders add(String name, Object value) {
    return add((CharSequence) name, value);
  }

  @Override
  public HttpHeaders add(CharSequence name, Object value) {
    nameValidator.validateName(name);
    return append(name, checkedText(value));
  }

  /** {@code value} as text, after Netty's value validator (which throws what it refuses). */
  private CharSequence checkedText(Object value) {
    CharSequence text = text(value);
    valueValidator.validate(text);
    return text;
  }

  /** Adds a field whose name and value were validated. */
  private HttpHeaders append(CharSequence name, CharSequence text) {
    if (addedFields == null) addedFields = new CharSequence[8];
    else if (added * 2 == addedFields.length)
      addedFields = Arrays.copyOf(addedFields, addedFields.length * 2);
    addedFields[added * 2] = name;
    addedFields[added * 2 + 1] = text;
    added++;
    return this;
  }

  @Override
  public HttpHeaders add(String name, Iterable<?> values) {
    return add((CharSequence) name, values);
  }

  @Override
  public HttpHeaders add(CharSequence name, Iterable<?> values) {
    for (Object value : values) add(name, value);
    return this;
  }

  @Override
  public HttpHeaders addInt(CharSequence name, int value) {
    return add(name, Integer.toString(value));
  }

  @Override
  public HttpHeaders addShort(CharSequence name, short value) {
    return add(name, Short.toString(value));
  }

  @Override
  public HttpHeaders set(String name, Object value) {
    return set((CharSequence) name, value);
  }

  @Override
  public HttpHeaders set(CharSequence name, Object value) {
    // validated before the old field goes, as Netty does: a refused value leaves the headers as
    // they were
    nameValidator.validateName(name);
    CharSequence text = checkedText(value);
    remove(name);
    return append(name, text);
  }

  @Override
  public HttpHeaders set(String name, Iterable<?> values) {
    return set((CharSequence) name, values);
  }

  @Override
  public HttpHeaders set(CharSequence name, Iterable<?> values) {
    // every value validated before the old fields go (Netty's own container validates each as it
    // adds it, after the removal): a refused value leaves the headers as they were
    nameValidator.validateName(name);
    List<CharSequence> texts = new ArrayList<>();
    for (Object value : values) texts.add(checkedText(value));
    remove(name);
    for (CharSequence text : texts) append(name, text);
    return this;
  }

  @Override
  public HttpHeaders setInt(CharSequence name, int value) {
    return set(name, Integer.toString(value));
  }

  @Override
  public HttpHeaders setShort(CharSequence name, short value) {
    return set(name, Short.toString(value));
  }

  @Override
  public HttpHeaders remove(String name) {
    return remove((CharSequence) name);
  }

  @Override
  public HttpHeaders remove(CharSequence name) {
    for (int i = 0; i < received; i++) if (isLive(i) && nameIs(i, name)) removed |= 1L << i;
    int kept = 0;
    for (int j = 0; j < added; j++) {
      if (AsciiString.contentEqualsIgnoreCase(addedName(j), name)) continue;
      addedFields[kept * 2] = addedName(j);
      addedFields[kept * 2 + 1] = addedValue(j);
      kept++;
    }
    if (addedFields != null) Arrays.fill(addedFields, kept * 2, added * 2, null);
    added = kept;
    return this;
  }

  @Override
  public HttpHeaders clear() {
    removed = received == MAX_FIELDS ? -1L : (1L << received) - 1;
    if (addedFields != null) Arrays.fill(addedFields, null);
    added = 0;
    return this;
  }

  // ---- encoding

  /**
   * Writes the fields as Netty's encoder writes a header block ({@code name: value} CRLF each, in
   * order), the received ones straight from their bytes.
   */
  void writeTo(ByteBuf out) {
    for (int i = 0; i < received; i++) {
      if (!isLive(i)) continue;
      out.writeBytes(head, nameStart(i), nameLength(i));
      out.writeShort(':' << 8 | ' ');
      out.writeBytes(head, valueStart(i), valueLength(i));
      out.writeShort('\r' << 8 | '\n');
    }
    for (int j = 0; j < added; j++) {
      out.writeCharSequence(addedName(j), CharsetUtil.US_ASCII);
      out.writeShort(':' << 8 | ' ');
      out.writeCharSequence(addedValue(j), CharsetUtil.US_ASCII);
      out.writeShort('\r' << 8 | '\n');
    }
  }

  // ---- the received fields

  private boolean isLive(int i) {
    return (removed & (1L << i)) == 0;
  }

  private boolean nameIs(int i, CharSequence name) {
    int length = nameLength(i);
    if (name.length() != length) return false;
    int start = nameStart(i);
    for (int k = 0; k < length; k++) {
      int b = head[start + k];
      char c = name.charAt(k);
      if (b != c && lower(b) != lower(c)) return false;
    }
    return true;
  }

  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  /** The name as the decoders keep names: the shared instance when the table has it. */
  private AsciiString name(int i) {
    return HeadText.name(head, nameStart(i), nameLength(i));
  }

  /** A value as Netty's decoder makes it: one char per byte. */
  private String value(int i) {
    if (i != lastAsked) {
      lastValue = new String(head, valueStart(i), valueLength(i), StandardCharsets.ISO_8859_1);
      lastAsked = i;
    }
    return lastValue;
  }

  /** A span of the field section: where it starts and how long it is, in one int. */
  static int pack(int start, int length) {
    return start << 16 | length;
  }

  private int nameStart(int i) {
    return spans[i * 2] >>> 16;
  }

  private int nameLength(int i) {
    return spans[i * 2] & 0xFFFF;
  }

  private int valueLength(int i) {
    return spans[i * 2 + 1] & 0xFFFF;
  }

  private CharSequence addedName(int j) {
    return addedFields[j * 2];
  }

  private CharSequence addedValue(int j) {
    return addedFields[j * 2 + 1];
  }

  /** The text of a value as Netty's {@code DefaultHttpHeaders} converts it. */
  private static CharSequence text(Object value) {
    if (value == null) throw new NullPointerException("value");
    if (value instanceof CharSequence text) return text;
    if (value instanceof Date date) return DateFormatter.format(date);
    if (value instanceof Calendar calendar) return DateFormatter.format(calendar.getTime());
    return value.toString();
  }
}
