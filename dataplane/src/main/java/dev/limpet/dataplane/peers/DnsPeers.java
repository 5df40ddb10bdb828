package dev.limpet.dataplane.peers;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The addresses behind a DNS name: in Kubernetes, the data plane's headless Service, which lists
 * every pod (not-ready ones too when the Service sets {@code publishNotReadyAddresses}). Asked
 * without any cache, so a new pod is seen at the next resolution. When the name has IPv4 addresses
 * only those are used (a dual-stack pod would otherwise be reached twice).
 */
public final class DnsPeers implements PeerDiscovery {
  private final String name;
  private final int port;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final DnsNameResolver resolver;

  /** Asks the name servers of {@code /etc/resolv.conf} (with its search domains). */
  public DnsPeers(String name, int port) {
    this(name, port, DnsServerAddressStreamProviders.platformDefault());
  }

  /** Asks {@code nameServer} only. */
  public DnsPeers(String name, int port, InetSocketAddress nameServer) {
    this(name, port, new SingletonDnsServerAddressStreamProvider(nameServer));
  }

  private DnsPeers(String name, int port, DnsServerAddressStreamProvider nameServers) {
    this.name = name;
    this.port = port;
    this.resolver =
        new DnsNameResolverBuilder(group.next())
            .datagramChannelType(NioDatagramChannel.class)
            .nameServerProvider(nameServers)
            .resolveCache(NoopDnsCache.INSTANCE)
            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
            .queryTimeoutMillis(2_000)
            .build();
  }

  @Override
  public CompletionStage<Set<InetSocketAddress>> resolve() {
    CompletableFuture<Set<InetSocketAddress>> result = new CompletableFuture<>();
    resolver
        .resolveAll(name)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<InetAddress> addresses = (List<InetAddress>) f.getNow();
                result.complete(withPort(preferIpv4(addresses), port));
              } else {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  @Override
  public String describe() {
    return "dns " + name + ":" + port;
  }

  /** The IPv4 addresses if there are any, else all of them. */
  static List<InetAddress> preferIpv4(List<InetAddress> addresses) {
    List<InetAddress> v4 = addresses.stream().filter(a -> a instanceof Inet4Address).toList();
    return v4.isEmpty() ? addresses : v4;
  }

  private static Set<InetSocketAddress> withPort(List<InetAddress> addresses, int port) {
    Set<InetSocketAddress> peers = new LinkedHashSet<>();
    addresses.forEach(a -> peers.add(new InetSocketAddress(a, port)));
    return peers;
  }

  @Override
  public void close() {
    resolver.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
