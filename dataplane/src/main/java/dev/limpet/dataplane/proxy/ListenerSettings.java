package dev.limpet.dataplane.proxy;

import dev.limpet.contract.LimitsConfig;
import dev.limpet.contract.TimeoutsConfig;
import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.runtime.VirtualService;

/**
 * The connection-level settings of a port, fixed before the Host header says which virtual service
 * a request is for: where services share a port, the most generous value of each wins; {@code tls}
 * when the port terminates TLS.
 */
public record ListenerSettings(
    int clientIdleMs, int headerReadMs, int maxUriBytes, int maxHeaderBytes, boolean tls) {

  public static ListenerSettings of(PortRoutes routes) {
    TimeoutsConfig t = TimeoutsConfig.DEFAULT;
    LimitsConfig l = LimitsConfig.DEFAULT;
    if (routes == null || routes.services().isEmpty())
      return new ListenerSettings(
          t.clientIdleMs(), t.headerReadMs(), l.maxUriBytes(), l.maxHeaderBytes(), false);
    int idle = 0, header = 0, uri = 0, headers = 0;
    for (VirtualService vs : routes.services()) {
      idle = Math.max(idle, vs.config().timeouts().clientIdleMs());
      header = Math.max(header, vs.config().timeouts().headerReadMs());
      uri = Math.max(uri, vs.config().limits().maxUriBytes());
      headers = Math.max(headers, vs.config().limits().maxHeaderBytes());
    }
    return new ListenerSettings(idle, header, uri, headers, routes.tls() != null);
  }
}
