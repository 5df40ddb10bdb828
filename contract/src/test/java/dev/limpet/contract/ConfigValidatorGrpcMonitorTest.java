package dev.limpet.contract;

import static dev.limpet.contract.ConfigValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.HealthMonitorConfig.GrpcCheck;
import dev.limpet.contract.HealthMonitorConfig.Type;
import org.junit.jupiter.api.Test;

/** The gRPC health monitor: its defaults and each rule on its service and authority. */
class ConfigValidatorGrpcMonitorTest {

  @Test
  void aGrpcMonitorWithoutGrpcBlockAsksForTheServersOverallHealth() throws ConfigException {
    DataPlaneConfig config = ConfigLoader.parse("healthMonitors: [{name: g, type: Grpc}]\n");

    HealthMonitorConfig monitor = config.healthMonitors().get(0);
    assertThat(monitor.type()).isEqualTo(Type.Grpc);
    assertThat(monitor.grpc()).isEqualTo(new GrpcCheck("", null));
    assertThat(monitor.http()).isNull();
  }

  @Test
  void serviceAndAuthorityAreRead() throws ConfigException {
    DataPlaneConfig config =
        ConfigLoader.parse(
            "healthMonitors: [{name: g, type: Grpc, grpc: {service: shop.v1.Cart,"
                + " authority: 'cart.example:8443'}}]\n");

    assertThat(config.healthMonitors().get(0).grpc())
        .isEqualTo(new GrpcCheck("shop.v1.Cart", "cart.example:8443"));
  }

  @Test
  void validNamesPass() {
    assertThat(
            problems(
                """
                healthMonitors:
                  - {name: a, type: Grpc, grpc: {service: "", authority: "10.0.0.1:50051"}}
                  - {name: b, type: Grpc, grpc: {service: grpc.health.v1.Health, authority: "[::1]:50051"}}
                  - {name: c, type: Grpc, grpc: {service: my-app/liveness_v2, authority: grpc.example}}
                """))
        .isEmpty();
  }

  @Test
  void badServiceAndAuthorityAreNamed() {
    assertThat(
            problems(
                """
                healthMonitors:
                  - {name: g, type: Grpc, grpc: {service: "shop Cart", authority: "a b:1"}}
                  - {name: l, type: Grpc, grpc: {service: %s}}
                """
                    .formatted("s".repeat(HealthMonitorConfig.GRPC_SERVICE_MAX + 1))))
        .containsExactly(
            "healthMonitors[0].grpc.service: 'shop Cart' is not a gRPC service name (letters,"
                + " digits, '.', '_', '-', '/'; \"\" for the server's overall health)",
            "healthMonitors[0].grpc.authority: 'a b:1' is not a host, IP address or [IPv6] address"
                + " with an optional :port",
            "healthMonitors[1].grpc.service: is 257 characters long, more than 256");
  }

  @Test
  void grpcBlockNeedsTypeGrpcAndHttpBlockNeedsTypeHttp() {
    assertThat(
            problems(
                """
                healthMonitors:
                  - {name: t, type: Tcp, grpc: {service: x}}
                  - {name: g, type: Grpc, http: {path: /}}
                """))
        .containsExactly(
            "healthMonitors[0].grpc: is only allowed with type Grpc",
            "healthMonitors[1].http: is only allowed with type Http");
  }
}
