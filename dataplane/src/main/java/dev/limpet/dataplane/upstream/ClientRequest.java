package dev.limpet.dataplane.upstream;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * What load balancing and persistence may look at: the client's address and the request head. The
 * head is the one that will be sent upstream, so rewrites before balancing are seen here.
 */
public record ClientRequest(InetSocketAddress client, HttpRequest head) {}
