package dev.limpet.dataplane.tls;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.ConfigException;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.contract.TlsConfig;
import dev.limpet.contract.UpstreamTlsConfig;
import dev.limpet.contract.VirtualServiceConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS of one configuration: each TLS port's SNI map and each re-encrypting virtual service's
 * client context. Built off the event loops from the previous catalog: a context whose certificate
 * and settings did not change is kept (so are its sessions), others are built new.
 */
public final class TlsCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(TlsCatalog.class);
  private static final AtomicLong UPSTREAM_IDS = new AtomicLong();

  public static final TlsCatalog EMPTY = new TlsCatalog(Map.of(), Map.of(), Map.of(), Map.of());

  private record ServerKey(
      String digest,
      List<String> protocols,
      List<String> ciphers,
      ClientCertificatesConfig clientCertificates,
      boolean http2) {}

  private record UpstreamKey(UpstreamTlsConfig config, List<X509Certificate> trusted) {}

  private final Map<ServerKey, SslContext> servers;
  private final Map<UpstreamKey, UpstreamTls> upstreams;
  private final Map<Integer, ListenerTls> byPort;
  private final Map<String, UpstreamTls> upstreamByService;

  private TlsCatalog(
      Map<ServerKey, SslContext> servers,
      Map<UpstreamKey, UpstreamTls> upstreams,
      Map<Integer, ListenerTls> byPort,
      Map<String, UpstreamTls> upstreamByService) {
    this.servers = servers;
    this.upstreams = upstreams;
    this.byPort = byPort;
    this.upstreamByService = upstreamByService;
  }

  /** The TLS of the listener on {@code port}, or null when it is plain HTTP. */
  public ListenerTls listener(int port) {
    return byPort.get(port);
  }

  /** TLS towards the servers of {@code virtualService}, or null: plain HTTP. */
  public UpstreamTls upstream(String virtualService) {
    return upstreamByService.get(virtualService);
  }

  /**
   * The catalog of {@code config}.
   *
   * @throws ConfigException naming each certificate, cipher or CA bundle that cannot be used; a
   *     {@link CertificatesPendingException} when the TLS Secret does not hold a named certificate
   *     yet
   */
  public static TlsCatalog build(
      DataPlaneConfig config, TlsCatalog previous, CertificateStore store, TlsContexts contexts)
      throws ConfigException {
    return new Builder(previous, store, contexts).build(config);
  }

  /** One build: what it made, what it reused, and the problems it found. */
  private static final class Builder {
    private final TlsCatalog previous;
    private final CertificateStore store;
    private final TlsContexts contexts;
    private final List<String> problems = new ArrayList<>();
    private final Map<ServerKey, SslContext> servers = new HashMap<>();
    private final Map<UpstreamKey, UpstreamTls> upstreams = new HashMap<>();
    private final Set<CertificateStore.FilePair> files = new HashSet<>();
    private CertificatesPendingException pending;

    Builder(TlsCatalog previous, CertificateStore store, TlsContexts contexts) {
      this.previous = previous;
      this.store = store;
      this.contexts = contexts;
    }

    TlsCatalog build(DataPlaneConfig config) throws ConfigException {
      Map<Integer, PortCertificates> ports = new LinkedHashMap<>();
      Map<String, UpstreamTls> upstreamByService = new HashMap<>();
      for (int i = 0; i < config.virtualServices().size(); i++) {
        VirtualServiceConfig vs = config.virtualServices().get(i);
        if (vs.tls() == null) continue;
        String path = "virtualServices[" + i + "].tls";
        PortCertificates port = ports.computeIfAbsent(vs.port(), p -> new PortCertificates());
        serviceCertificates(path, vs, port);
        if (vs.tls().upstream() != null) {
          UpstreamTls upstream = upstream(path + ".upstream", vs.tls().upstream());
          if (upstream != null) upstreamByService.put(vs.name(), upstream);
        }
      }
      if (!problems.isEmpty()) throw new ConfigException(problems);
      if (pending != null) throw pending;
      store.retainFiles(files);
      Map<Integer, ListenerTls> byPort = new HashMap<>();
      ports.forEach(
          (port, certificates) -> byPort.put(port, certificates.listener(contexts.ticketKeys())));
      return new TlsCatalog(
          Map.copyOf(servers),
          Map.copyOf(upstreams),
          Map.copyOf(byPort),
          Map.copyOf(upstreamByService));
    }

    private void serviceCertificates(String path, VirtualServiceConfig vs, PortCertificates port) {
      TlsConfig tls = vs.tls();
      List<String> unsupported = contexts.unsupportedCiphers(tls);
      if (!unsupported.isEmpty()) {
        problems.add(
            path + ".ciphers: not supported by " + contexts.provider() + ": " + unsupported);
        return;
      }
      SslContext defaultContext = null;
      for (int j = 0; j < tls.certificates().size(); j++) {
        TlsCertificateConfig certificate = tls.certificates().get(j);
        SslContext context = certificate(path + ".certificates[" + j + "]", certificate, vs, port);
        if (certificate.name().equals(tls.defaultCertificate())) defaultContext = context;
      }
      port.offerService(vs.name(), TlsPolicy.of(tls));
      if (defaultContext != null) port.offerDefault(defaultContext, vs.hostnames().isEmpty());
    }

    private SslContext certificate(
        String path,
        TlsCertificateConfig certificate,
        VirtualServiceConfig vs,
        PortCertificates port) {
      TlsConfig tls = vs.tls();
      boolean http2 = vs.http2().enabled();
      if (!certificate.fromSecret())
        files.add(
            new CertificateStore.FilePair(certificate.certificateFile(), certificate.keyFile()));
      LoadedCertificate loaded;
      try {
        loaded = store.load(certificate);
      } catch (CertificatesPendingException e) {
        pending = e;
        return null;
      } catch (IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
        return null;
      }
      String expiry = loaded.pair().expiryProblem(Instant.now());
      if (expiry != null)
        LOG.warn("{} ('{}'): {}; serving it anyway", path, certificate.name(), expiry);
      List<String> http2Suites =
          http2 ? Http2Ciphers.of(tls, Http2Ciphers.keyAlgorithm(loaded.pair())) : List.of();
      if (http2 && http2Suites.isEmpty())
        LOG.warn(
            "{}: none of the cipher suites may carry HTTP/2 (RFC 9113 §9.2.2); h2 is not offered",
            path);
      SslContext context = context(path, loaded, tls, !http2Suites.isEmpty());
      if (context == null) return null;
      if (!http2Suites.isEmpty() && !Http2Ciphers.allowsEvery(tls)) {
        // clients that offer only suites HTTP/2 must not use get HTTP/1.1 with every suite
        SslContext http1Only = context(path, loaded, tls, false);
        if (http1Only == null) return null;
        port.offerHttp2(context, new Http2Offer(http1Only, Http2Ciphers.codes(http2Suites)));
      }
      List<String> names =
          certificate.hostnames().isEmpty() ? loaded.pair().dnsNames() : certificate.hostnames();
      ListenerTls.Served served = new ListenerTls.Served(loaded.digest(), TlsPolicy.of(tls));
      port.offerContext(context, served);
      for (String name : names) {
        String earlier = port.offerName(name, context, path, vs.name());
        if (earlier != null)
          problems.add(
              path
                  + ": SNI name "
                  + name
                  + " is already served by "
                  + earlier
                  + " with other TLS settings (clientCertificates, protocols or ciphers); one"
                  + " handshake cannot enforce both, and every request of this virtual service on"
                  + " it would get 421: give the certificates distinct hostnames or the virtual"
                  + " services the same TLS settings");
      }
      return context;
    }

    /** The context of one certificate and settings: this build's, the previous one's, or new. */
    private SslContext context(
        String path, LoadedCertificate loaded, TlsConfig tls, boolean http2) {
      ServerKey key =
          new ServerKey(
              loaded.digest(), tls.protocols(), tls.ciphers(), tls.clientCertificates(), http2);
      SslContext context = servers.get(key);
      if (context == null) context = previous.servers.get(key);
      if (context == null) {
        try {
          List<X509Certificate> clientAuthorities =
              tls.clientCertificates() == null
                  ? List.of()
                  : PemKeyPair.certificates(tls.clientCertificates().caCertificates());
          context = contexts.server(loaded.pair(), tls, clientAuthorities, http2);
        } catch (SSLException | RuntimeException e) {
          problems.add(path + ": cannot serve this certificate: " + e.getMessage());
          return null;
        }
      }
      servers.put(key, context);
      return context;
    }

    private UpstreamTls upstream(String path, UpstreamTlsConfig config) {
      List<X509Certificate> trusted;
      try {
        trusted = trusted(config);
      } catch (IOException | IllegalArgumentException e) {
        problems.add(
            path + (config.caFile() != null ? ".caFile: " : ".caCertificates: ") + e.getMessage());
        return null;
      }
      UpstreamKey key = new UpstreamKey(config, trusted);
      UpstreamTls upstream = upstreams.get(key);
      if (upstream == null) upstream = previous.upstreams.get(key);
      if (upstream == null) {
        try {
          upstream =
              new UpstreamTls(
                  contexts.client(config, trusted, false),
                  contexts.client(config, trusted, true),
                  config.serverName(),
                  "tls-" + UPSTREAM_IDS.incrementAndGet());
        } catch (SSLException | RuntimeException e) {
          problems.add(path + ": " + e.getMessage());
          return null;
        }
      }
      upstreams.put(key, upstream);
      return upstream;
    }

    private static List<X509Certificate> trusted(UpstreamTlsConfig config) throws IOException {
      if (config.caFile() != null)
        return PemKeyPair.certificates(Files.readString(Path.of(config.caFile())));
      if (config.caCertificates() != null) return PemKeyPair.certificates(config.caCertificates());
      return List.of();
    }
  }

  /** The certificates of one port's virtual services, gathered in configuration order. */
  private static final class PortCertificates {
    private final Map<String, SslContext> byName = new LinkedHashMap<>();
    private final Map<String, String> nameOwners = new HashMap<>();
    private final Map<SslContext, ListenerTls.Served> served = new HashMap<>();
    private final Map<SslContext, Http2Offer> http2Offers = new HashMap<>();
    private final Map<String, TlsPolicy> byService = new HashMap<>();
    private SslContext defaultContext;
    private boolean defaultFromCatchAll;

    /** The first virtual service's default, unless the one without hostnames has one. */
    void offerDefault(SslContext context, boolean catchAll) {
      if (defaultContext == null || (catchAll && !defaultFromCatchAll)) {
        defaultContext = context;
        defaultFromCatchAll = catchAll;
      }
    }

    /** The policy a virtual service demands of the connections that carry its requests. */
    void offerService(String virtualService, TlsPolicy policy) {
      byService.put(virtualService, policy);
    }

    /** What {@code context} serves. */
    void offerContext(SslContext context, ListenerTls.Served what) {
      served.put(context, what);
    }

    /** How {@code http2} (a context that offers h2) serves clients that cannot use h2 suites. */
    void offerHttp2(SslContext http2, Http2Offer offer) {
      http2Offers.put(http2, offer);
    }

    /**
     * The first certificate for a name keeps it.
     *
     * @return where the earlier certificate of {@code name} is configured when its policy is not
     *     {@code context}'s (the configuration cannot be served), else null
     */
    String offerName(String name, SslContext context, String path, String virtualService) {
      SslContext earlier = byName.putIfAbsent(name, context);
      if (earlier == null) {
        nameOwners.put(name, path + " (virtual service '" + virtualService + "')");
        return null;
      }
      if (earlier == context) return null;
      if (!served.get(earlier).policy().equals(served.get(context).policy()))
        return nameOwners.get(name);
      if (!served.get(earlier).certificate().equals(served.get(context).certificate()))
        LOG.warn(
            "{}: SNI name {} is already served by an earlier certificate, {}",
            path,
            name,
            nameOwners.get(name));
      return null;
    }

    ListenerTls listener(TicketKeyRing ticketKeys) {
      DomainWildcardMappingBuilder<SslContext> mapping =
          new DomainWildcardMappingBuilder<>(defaultContext);
      byName.forEach(
          (name, context) -> {
            try {
              mapping.add(name, context);
            } catch (IllegalArgumentException e) {
              LOG.warn("certificate name '{}' cannot be matched by SNI: {}", name, e.getMessage());
            }
          });
      return new ListenerTls(
          mapping.build(),
          ticketKeys,
          Map.copyOf(served),
          Map.copyOf(byService),
          Map.copyOf(http2Offers));
    }
  }
}
