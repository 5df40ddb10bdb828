package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Finds a complete request head at the start of a buffer and reads its field lines into {@link
 * ReceivedHeaders}, for the heads that are plainly well formed: the request line ends with CRLF and
 * starts with a letter, every field line is {@code token ":" value CRLF} with a value of visible
 * ASCII, spaces and tabs only, at most {@link ReceivedHeaders#MAX_FIELDS} fields, the field section
 * within the decoder's limit. Anything else (a partial head, a bare LF, obs-fold, a space before
 * the colon, a control or non-ASCII byte, too many or too large fields) is not an error here: the
 * scanner declines, and Netty's decoder reads the head with all its checks, as it reads every head
 * when the scanner is not used. So the scanner cannot accept a head the decoder would refuse; it
 * only takes the common case away from it.
 */
final class HeadScanner {
  /** How far to look for the end of the request line before leaving the head to the decoder. */
  private static final int MAX_LINE_SEARCH = 16 * 1024;

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
    for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
  }

  private final int maxFieldSection;

  /** Where the request line ends (after its LF) and the head ends (after the blank line). */
  private int lineEnd;

  private int headEnd;
  private ReceivedHeaders headers;

  /**
   * @param maxFieldSection the decoder's limit on the field lines, in bytes
   */
  HeadScanner(int maxFieldSection) {
    this.maxFieldSection = maxFieldSection;
  }

  /** True when {@code in} starts with a complete head this scanner read; see the accessors. */
  boolean scan(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (start >= end) return false;
    byte first = in.getByte(start);
    if (first < 'A' || first > 'Z') return false; // leading CRLF or junk: the decoder's rules
    int lf = in.indexOf(start, Math.min(end, start + MAX_LINE_SEARCH), (byte) '\n');
    if (lf < 0 || lf == start || in.getByte(lf - 1) != '\r') return false;
    int sectionStart = lf + 1;
    int limit = Math.min(end, sectionStart + maxFieldSection + 2);
    int fields = 0;
    int at = sectionStart;
    while (true) {
      int next = in.indexOf(at, limit, (byte) '\n');
      if (next < 0) return false; // partial or too large: the decoder decides
      if (next == at + 1 && in.getByte(at) == '\r') {
        at = next + 1;
        break;
      }
      if (++fields > ReceivedHeaders.MAX_FIELDS) return false;
      at = next + 1;
    }
    if (at - sectionStart > ReceivedHeaders.MAX_SECTION) return false;
    byte[] section = new byte[at - sectionStart];
    in.getBytes(sectionStart, section);
    int[] spans = new int[fields * 2];
    if (!read(section, spans)) return false;
    this.lineEnd = sectionStart;
    this.headEnd = at;
    this.headers = new ReceivedHeaders(section, spans, fields);
    return true;
  }

  /** Fills {@code spans} from the field lines of {@code section}; false at the first odd line. */
  private static boolean read(byte[] section, int[] spans) {
    int at = 0;
    for (int field = 0; field * 2 < spans.length; field++) {
      int nameEnd = at;
      while (nameEnd < section.length && isTchar(section[nameEnd])) nameEnd++;
      if (nameEnd == at || section[nameEnd] != ':') return false;
      int valueStart = nameEnd + 1;
      int i = valueStart;
      while (section[i] != '\r') {
        byte b = section[i];
        if ((b < 0x20 && b != '\t') || b >= 0x7f) return false; // includes every byte >= 0x80
        i++;
      }
      if (section[i + 1] != '\n') return false; // a CR inside the line
      int valueEnd = i;
      while (valueStart < valueEnd && isOws(section[valueStart])) valueStart++;
      while (valueEnd > valueStart && isOws(section[valueEnd - 1])) valueEnd--;
      spans[field * 2] = ReceivedHeaders.pack(at, nameEnd - at);
      spans[field * 2 + 1] = ReceivedHeaders.pack(valueStart, valueEnd - valueStart);
      at = i + 2;
    }
    return true;
  }

  private static boolean isTchar(byte b) {
    return b >= 0 && TCHAR[b];
  }

  private static boolean isOws(byte b) {
    return b == ' ' || b == '\t';
  }

  /** The end of the request line, after its LF. */
  int lineEnd() {
    return lineEnd;
  }

  /** The end of the head, after its blank line. */
  int headEnd() {
    return headEnd;
  }

  /** The fields of the head scanned last; handed out once. */
  ReceivedHeaders takeHeaders() {
    ReceivedHeaders taken = headers;
    headers = null;
    return taken;
  }
}
