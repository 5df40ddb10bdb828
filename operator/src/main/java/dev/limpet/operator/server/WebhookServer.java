package dev.limpet.operator.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.limpet.operator.admission.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook: {@code POST /validate} takes an AdmissionReview
 * (admission.k8s.io/v1) and answers one with the {@link AdmissionPolicy}'s response. HTTPS with the
 * certificate the chart generates; plain HTTP only when no certificate is given (tests).
 */
public final class WebhookServer implements AutoCloseable {
  public static final String PATH = "/validate";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final int MAX_REVIEW_BYTES = 4 * 1024 * 1024;

  private final HttpServer server;
  private final AdmissionPolicy policy;
  private final KubernetesSerialization serialization;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(4, r -> new Thread(r, "webhook"));

  public WebhookServer(
      InetSocketAddress address,
      Optional<SSLContext> tls,
      AdmissionPolicy policy,
      KubernetesSerialization serialization)
      throws IOException {
    this.policy = policy;
    this.serialization = serialization;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      ProbeServer.reply(exchange, 405, "text/plain", "POST an AdmissionReview\n");
      return;
    }
    AdmissionReview review;
    try (InputStream body = exchange.getRequestBody()) {
      byte[] bytes = body.readNBytes(MAX_REVIEW_BYTES);
      review =
          serialization.unmarshal(
              new String(bytes, java.nio.charset.StandardCharsets.UTF_8), AdmissionReview.class);
    } catch (RuntimeException e) {
      ProbeServer.reply(exchange, 400, "text/plain", "not an AdmissionReview: " + e.getMessage());
      return;
    }
    if (review == null || review.getRequest() == null) {
      ProbeServer.reply(exchange, 400, "text/plain", "an AdmissionReview without a request\n");
      return;
    }
    var response = policy.review(review.getRequest());
    if (!response.getAllowed())
      LOG.info(
          "refused {} of {} {}/{}: {}",
          review.getRequest().getOperation(),
          review.getRequest().getKind().getKind(),
          review.getRequest().getNamespace(),
          review.getRequest().getName(),
          response.getStatus().getMessage());
    AdmissionReview answer =
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(response)
            .build();
    ProbeServer.reply(exchange, 200, "application/json", serialization.asJson(answer));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
