package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.GrpcBackend;
import dev.limpet.dataplane.testing.Http2Backend;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC through a pool that speaks HTTP/2 to real grpc-java servers. With an HTTP/1.1 client (raw
 * gRPC frames over chunked), what runs today: the call reaches the server with {@code te: trailers}
 * and its {@code grpc-status} comes back in the trailer section. With a grpc-java client (HTTP/2
 * from clients), the calls a gRPC user makes: unary, failing, server streaming, a stream that
 * outlives a reload and ends after its server's drain time, per-call balancing.
 */
@Timeout(60)
class GrpcPassThroughTest {
  private static final String UNARY = "/grpc.testing.SimpleService/UnaryRpc";
  private static final String SERVER_STREAMING = "/grpc.testing.SimpleService/ServerStreamingRpc";

  private final List<GrpcBackend> backends = new ArrayList<>();
  private ProxyFixture fx;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (fx != null) fx.close();
    backends.forEach(GrpcBackend::close);
  }

  private void start(String vsExtra, String poolExtra, int servers) throws Exception {
    for (int i = 1; i <= servers; i++) backends.add(new GrpcBackend("g" + i, "127.0.0.7" + i));
    fx = new ProxyFixture(1, 70);
    fx.apply(config(vsExtra, poolExtra, ""));
  }

  private String config(String vsExtra, String poolExtra, String serverExtra) {
    StringBuilder list = new StringBuilder();
    for (GrpcBackend b : backends)
      list.append(list.length() > 0 ? ", " : "")
          .append("{ip: %s, port: %d%s}".formatted(b.ip(), b.port(), serverExtra));
    return fx.render(
        """
        virtualServices: [{name: grpc, address: 127.0.0.1, port: ${port}, pool: grpc%s}]
        pools: [{name: grpc, protocol: Http2, servers: [%s]%s}]
        """
            .formatted(vsExtra, list, poolExtra));
  }

  // ------------------------------------------------------------ HTTP/1.1 client, raw frames

  /** One gRPC call as an HTTP/1.1 chunked request; the answer up to its trailer section's end. */
  private String callOverHttp11(String path, String message) {
    byte[] proto = SimpleRequest.newBuilder().setRequestMessage(message).build().toByteArray();
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0); // not compressed
    for (int shift = 24; shift >= 0; shift -= 8) frame.write(proto.length >>> shift);
    frame.writeBytes(proto);
    String body = frame.toString(StandardCharsets.ISO_8859_1);
    try (RawHttp client = new RawHttp(fx.port)) {
      client.send(
          "POST "
              + path
              + " HTTP/1.1\r\nHost: grpc\r\nContent-Type: application/grpc\r\nTE: trailers\r\n"
              + "Connection: TE\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(body.length())
              + "\r\n"
              + body
              + "\r\n0\r\n\r\n");
      String head = client.readUntil("grpc-status: ");
      return head + client.readUntil("\r\n\r\n");
    }
  }

  @Test
  void aUnaryCallFromAnHttp11ClientGetsItsGrpcStatusAsATrailer() throws Exception {
    start("", "", 1);
    String response = callOverHttp11(UNARY, "hi");
    assertThat(response)
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("content-type: application/grpc");
    assertThat(response).contains("g1: hi");
    int end = response.indexOf("\r\n0\r\n");
    assertThat(end).as("a chunked body with a trailer section").isPositive();
    assertThat(response.substring(end)).contains("grpc-status: 0\r\n");
  }

  @Test
  void aServerStreamingCallFromAnHttp11ClientCarriesEveryMessageThenTheStatus() throws Exception {
    start("", "", 1);
    String response = callOverHttp11(SERVER_STREAMING, "count:3");
    assertThat(response).contains("g1 #1").contains("g1 #2").contains("g1 #3");
    assertThat(response.substring(response.indexOf("\r\n0\r\n"))).contains("grpc-status: 0\r\n");
  }

  @Test
  void aFailedCallFromAnHttp11ClientCarriesItsStatusAndMessage() throws Exception {
    start("", "", 1);
    String response = callOverHttp11(UNARY, "fail");
    // a trailers-only answer: the status is in the response's one header block
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(response).contains("grpc-status: 5\r\n").contains("grpc-message: no such thing\r\n");
    // framed for HTTP/1.1: the client knows the (empty) body ended
    assertThat(response).containsIgnoringCase("content-length: 0\r\n");
  }

  // ------------------------------------------------------------ gRPC client (HTTP/2 from clients)

  private static final String H2 = ", http2: {enabled: true}";

  private SimpleServiceGrpc.SimpleServiceBlockingStub stub() {
    if (channel == null)
      channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.port).usePlaintext().build();
    return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** A client-streaming call whose answer or failure completes {@code answer}. */
  private StreamObserver<SimpleRequest> clientStream(CompletableFuture<SimpleResponse> answer) {
    stub(); // opens the channel
    return SimpleServiceGrpc.newStub(channel)
        .clientStreamingRpc(
            new StreamObserver<>() {
              @Override
              public void onNext(SimpleResponse r) {
                answer.complete(r);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
  }

  private static SimpleRequest request(String message) {
    return SimpleRequest.newBuilder().setRequestMessage(message).build();
  }

  @Test
  void unaryCallsPassAndAreBalancedOneByOne() throws Exception {
    start(H2, "", 2);
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) answers.add(stub().unaryRpc(request("hi")).getResponseMessage());
    // one connection, but each call is an exchange: round robin spreads them
    assertThat(answers).containsExactly("g1: hi", "g2: hi", "g1: hi", "g2: hi");
  }

  @Test
  void aUnaryCallARefusingServerDidNotProcessGoesToTheNext() throws Exception {
    Http2Backend refusing = Http2Backend.refusing("refusing", "127.0.0.79");
    try {
      backends.add(new GrpcBackend("g1", "127.0.0.71"));
      fx = new ProxyFixture(1, 70);
      fx.apply(
          fx.render(
              """
              virtualServices: [{name: grpc, address: 127.0.0.1, port: ${port}, pool: grpc%s}]
              pools: [{name: grpc, protocol: Http2,
                       servers: [{ip: %s, port: %d}, {ip: %s, port: %d}]}]
              """
                  .formatted(
                      H2,
                      refusing.ip(),
                      refusing.port(),
                      backends.get(0).ip(),
                      backends.get(0).port())));
      // round robin starts with the refusing server: its REFUSED_STREAM sends the call on
      for (int i = 0; i < 2; i++)
        assertThat(stub().unaryRpc(request("hi")).getResponseMessage()).isEqualTo("g1: hi");
    } finally {
      refusing.close();
    }
  }

  @Test
  void aFailedCallKeepsItsStatusAndMessage() throws Exception {
    start(H2, "", 1);
    assertThatThrownBy(() -> stub().unaryRpc(request("fail")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
            });
  }

  @Test
  void aServerStreamingCallEndsWithItsTrailers() throws Exception {
    start(H2, "", 1);
    List<String> answers = new ArrayList<>();
    stub()
        .serverStreamingRpc(request("count:5"))
        .forEachRemaining(r -> answers.add(r.getResponseMessage()));
    // the iterator ends only on grpc-status 0 in the trailers; another status would throw
    assertThat(answers).containsExactly("g1 #1", "g1 #2", "g1 #3", "g1 #4", "g1 #5");
  }

  @Test
  void aLongStreamOutlivesAReloadAndEndsTunnelDrainSecondsAfterItsServerDrains() throws Exception {
    start(H2, ", tunnelDrainSeconds: 1", 1);
    GrpcBackend g1 = backends.get(0);
    Iterator<SimpleResponse> stream = stub().serverStreamingRpc(request("hold"));
    assertThat(stream.next().getResponseMessage()).isEqualTo("g1 open");
    // a reload that keeps the server in service: the stream goes on where it was
    fx.apply(config(H2, ", tunnelDrainSeconds: 1", ", ratio: 2"));
    g1.push("after reload");
    assertThat(stream.next().getResponseMessage()).isEqualTo("after reload");
    // the server drains: the stream is cut after tunnelDrainSeconds, not at once, not never
    fx.apply(config(H2, ", tunnelDrainSeconds: 1", ", draining: true"));
    g1.push("while draining");
    assertThat(stream.next().getResponseMessage()).isEqualTo("while draining");
    assertThatThrownBy(stream::next).isInstanceOf(StatusRuntimeException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> g1.cancelled.contains("hold"));
    assertThat(fx.dataPlane.metrics().scrape())
        .containsPattern("limpet_tunnels_drained_total\\{pool=\"grpc\"} 1");
  }

  @Test
  void aClientStreamTheServerHasNotAnsweredEndsTunnelDrainSecondsAfterItsServerDrains()
      throws Exception {
    start(H2, ", tunnelDrainSeconds: 1", 1);
    GrpcBackend g1 = backends.get(0);
    CompletableFuture<SimpleResponse> answer = new CompletableFuture<>();
    StreamObserver<SimpleRequest> call = clientStream(answer);
    call.onNext(request("one"));
    // the server has the first message and has sent nothing back, not even its headers
    await().atMost(Duration.ofSeconds(10)).until(() -> g1.received.contains("one"));
    fx.apply(config(H2, ", tunnelDrainSeconds: 1", ", draining: true"));
    // tunnelDrainSeconds later the stream is reset: the server sees the call cancelled
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> g1.cancelled.contains(GrpcBackend.CLIENT_STREAM));
    assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StatusRuntimeException.class);
    assertThat(fx.dataPlane.metrics().scrape())
        .containsPattern("limpet_tunnels_drained_total\\{pool=\"grpc\"} 1");
  }

  @Test
  void aClientStreamIsAnsweredWhenTheClientEnds() throws Exception {
    start(H2, "", 1);
    CompletableFuture<SimpleResponse> answer = new CompletableFuture<>();
    StreamObserver<SimpleRequest> call = clientStream(answer);
    call.onNext(request("one"));
    call.onNext(request("two"));
    call.onCompleted();
    assertThat(answer.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("g1: 2 messages");
  }

  @Test
  void aStreamTheServerEndsEndsCleanlyForTheClient() throws Exception {
    start(H2, "", 1);
    GrpcBackend g1 = backends.get(0);
    Iterator<SimpleResponse> stream = stub().serverStreamingRpc(request("hold"));
    assertThat(stream.next().getResponseMessage()).isEqualTo("g1 open");
    g1.endHeld();
    assertThat(stream.hasNext()).isFalse(); // grpc-status 0 reached the client
  }
}
