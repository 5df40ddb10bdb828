package dev.limpet.dataplane.proxy;

/** What an upstream connection reports to the exchange it currently serves. */
interface UpstreamListener {
  void onUpstreamMessage(Object message);

  /** The upstream read a batch; a good moment to flush towards the client. */
  void onUpstreamReadComplete();

  void onUpstreamWritable();

  /**
   * The connection (or stream) closed; {@code unprocessed} when an HTTP/2 server said it did not
   * process the stream (REFUSED_STREAM, or a GOAWAY below it), so any request may go again.
   */
  void onUpstreamClosed(boolean unprocessed);
}
