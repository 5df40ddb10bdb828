package dev.limpet.dataplane.upstream.health;

/** The {@code grpc.health.v1.HealthCheckResponse.ServingStatus} values a server answers with. */
enum ServingStatus {
  UNKNOWN,
  SERVING,
  NOT_SERVING,
  SERVICE_UNKNOWN;

  /** The status numbered {@code number}, or null for a number grpc.health.v1 does not define. */
  static ServingStatus of(long number) {
    ServingStatus[] all = values();
    return number >= 0 && number < all.length ? all[(int) number] : null;
  }
}
