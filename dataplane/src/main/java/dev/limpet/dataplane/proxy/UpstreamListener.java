package dev.limpet.dataplane.proxy;

/** What an upstream connection reports to the exchange it currently serves. */
interface UpstreamListener {
  void onUpstreamMessage(Object message);

  /** The upstream read a batch; a good moment to flush towards the client. */
  void onUpstreamReadComplete();

  void onUpstreamWritable();

  void onUpstreamClosed();
}
