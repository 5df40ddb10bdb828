package dev.limpet.dataplane.framing;

/**
 * One hostile (or tricky but valid) request of the framing corpus: the raw bytes a client sends,
 * the statuses it must get back in order, and what the backend must receive.
 *
 * @param statuses the status codes of the responses the client reads, space-separated, before the
 *     connection closes
 * @param backend the exact bytes the backend must receive, with {@code ${fwd}} standing for the
 *     {@code X-Forwarded-*} fields the proxy adds; or {@link #NOTHING}, or {@link #ABORTED} when
 *     the request may have started upstream but no whole request may arrive and that connection
 *     must be closed
 */
public record FramingCase(String name, String request, String statuses, String backend) {
  public static final String NOTHING = "nothing";
  public static final String ABORTED = "aborted";

  @Override
  public String toString() {
    return name;
  }
}
