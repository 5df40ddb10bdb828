package dev.limpet.dataplane;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty settings of the data plane's process that differ from Netty's own defaults; a system
 * property given on the command line still wins.
 */
final class NettyDefaults {
  static final String LEAK_DETECTION = "io.netty.leakDetection.level";

  private NettyDefaults() {}

  /**
   * Buffer leak detection off. Netty's default samples one buffer in 128 with a stack trace and
   * makes every pipeline hop record the message it passes ({@code ReferenceCountUtil.touch}): a few
   * percent of the proxy's CPU per request (bench/README, "Quick cuts"). Tests, which start the
   * data plane without this class, keep Netty's default and its leak reports; {@code
   * -Dio.netty.leakDetection.level=simple} turns it on in a running data plane.
   */
  static void apply() {
    if (System.getProperty(LEAK_DETECTION) == null)
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
  }
}
