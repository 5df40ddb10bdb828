package dev.limpet.dataplane.script;

/**
 * The arguments of an {@code avi.vs.table_*} call, resolved from its argument forms. A number or
 * numeric string in the last position of insert, lookup and refresh is a lifetime in seconds; so
 * with two arguments {@code (string, number)} is {@code (key, extend)} and {@code (string, string)}
 * is {@code (table, key)} unless the second string is numeric.
 *
 * @param table the table name, or null for the default table
 * @param value the value (insert only, else null)
 * @param seconds lifetime or extension in seconds
 */
record TableCall(String table, String key, String value, long seconds) {
  static final long DEFAULT_SECONDS = 300;

  /** About 68 years: keeps milliseconds far from overflow. */
  private static final long MAX_SECONDS = Integer.MAX_VALUE;

  /** {@code table_insert([table,] key, value [, lifetime])}. */
  static TableCall insert(Args args) {
    int n = args.count();
    if (n < 2) throw args.error("a key and a value are required");
    if (n == 2) return new TableCall(null, args.text(1), args.text(2), DEFAULT_SECONDS);
    if (n == 3 && args.isNumeric(3))
      return new TableCall(null, args.text(1), args.text(2), lifetime(args, 3, 1));
    long seconds = n >= 4 ? lifetime(args, 4, 1) : DEFAULT_SECONDS;
    return new TableCall(table(args, 1), args.text(2), args.text(3), seconds);
  }

  /** {@code table_lookup} and {@code table_refresh}: {@code ([table,] key [, extend])}. */
  static TableCall lookup(Args args) {
    int n = args.count();
    if (n < 1) throw args.error("a key is required");
    if (n == 1) return new TableCall(null, args.text(1), null, DEFAULT_SECONDS);
    if (n == 2)
      return args.isNumeric(2)
          ? new TableCall(null, args.text(1), null, lifetime(args, 2, 0))
          : new TableCall(table(args, 1), args.text(2), null, DEFAULT_SECONDS);
    return new TableCall(table(args, 1), args.text(2), null, lifetime(args, 3, 0));
  }

  /** {@code table_remove([table,] key)}. */
  static TableCall remove(Args args) {
    int n = args.count();
    if (n < 1) throw args.error("a key is required");
    if (n == 1) return new TableCall(null, args.text(1), null, 0);
    return new TableCall(table(args, 1), args.text(2), null, 0);
  }

  private static String table(Args args, int i) {
    String name = args.string(i);
    if (name.isEmpty()) throw args.bad(i, "table name must not be empty");
    return name;
  }

  static long lifetime(Args args, int i, long min) {
    if (!args.isNumeric(i)) throw args.bad(i, "lifetime in seconds expected");
    return args.wholeInRange(i, min, MAX_SECONDS);
  }

  long millis() {
    return seconds * 1000;
  }
}
