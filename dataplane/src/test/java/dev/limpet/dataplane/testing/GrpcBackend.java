package dev.limpet.dataplane.testing;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server (grpc-java, h2c) on a 127.0.0.x address serving {@code grpc.testing
 * .SimpleService}. Unary: answers {@code <name>: <message>}, or fails with NOT_FOUND ({@code
 * grpc-message: no such thing}) for the message {@code fail}. Server streaming: {@code count:N}
 * sends N answers and ends; {@code hold} sends {@code <name> open} and keeps the call open until
 * the test pushes more ({@link #push}) or ends it ({@link #endHeld}). Client streaming: sends
 * nothing, not even its headers, until the client ends, then {@code <name>: N messages}.
 */
public final class GrpcBackend implements AutoCloseable {
  private final String name;
  private final Server server;
  private final List<StreamObserver<SimpleResponse>> held = new CopyOnWriteArrayList<>();

  /** What {@link #cancelled} records for a cancelled client-streaming call. */
  public static final String CLIENT_STREAM = "client-stream";

  /** The messages client-streaming calls received so far. */
  public final List<String> received = new CopyOnWriteArrayList<>();

  /** Held calls the client (or the proxy) cancelled. */
  public final List<String> cancelled = new CopyOnWriteArrayList<>();

  public GrpcBackend(String name, String ip) {
    this.name = name;
    try {
      this.server =
          NettyServerBuilder.forAddress(new InetSocketAddress(ip, 0))
              .addService(new Service())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String ip() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getAddress().getHostAddress();
  }

  public int port() {
    return server.getPort();
  }

  /** How many held calls are open now. */
  public int held() {
    return held.size();
  }

  /** Sends {@code text} on every held call. */
  public void push(String text) {
    for (StreamObserver<SimpleResponse> call : held) call.onNext(answer(text));
  }

  /** Ends every held call with OK. */
  public void endHeld() {
    for (StreamObserver<SimpleResponse> call : held) call.onCompleted();
    held.clear();
  }

  private static SimpleResponse answer(String text) {
    return SimpleResponse.newBuilder().setResponseMessage(text).build();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      if (request.getRequestMessage().equals("fail")) {
        out.onError(Status.NOT_FOUND.withDescription("no such thing").asRuntimeException());
        return;
      }
      out.onNext(answer(name + ": " + request.getRequestMessage()));
      out.onCompleted();
    }

    @Override
    public StreamObserver<SimpleRequest> clientStreamingRpc(StreamObserver<SimpleResponse> out) {
      ((ServerCallStreamObserver<SimpleResponse>) out)
          .setOnCancelHandler(() -> cancelled.add(CLIENT_STREAM));
      return new StreamObserver<>() {
        private int count;

        @Override
        public void onNext(SimpleRequest request) {
          count++;
          received.add(request.getRequestMessage());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onNext(answer(name + ": " + count + " messages"));
          out.onCompleted();
        }
      };
    }

    @Override
    public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      String message = request.getRequestMessage();
      if (message.equals("hold")) {
        ServerCallStreamObserver<SimpleResponse> call =
            (ServerCallStreamObserver<SimpleResponse>) out;
        call.setOnCancelHandler(
            () -> {
              held.remove(out);
              cancelled.add(message);
            });
        held.add(out);
        out.onNext(answer(name + " open"));
        return;
      }
      int n = Integer.parseInt(message.substring("count:".length()));
      for (int i = 1; i <= n; i++) out.onNext(answer(name + " #" + i));
      out.onCompleted();
    }
  }
}
