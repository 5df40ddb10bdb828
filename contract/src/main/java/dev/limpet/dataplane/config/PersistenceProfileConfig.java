package dev.limpet.dataplane.config;

/**
 * A persistence profile that pools refer to by name. Every {@code timeoutMinutes} takes fractions
 * ({@code 0.5} is 30 seconds). Exactly the block that matches {@code type} may be present; it is
 * filled with defaults when absent.
 */
public record PersistenceProfileConfig(
    String name,
    Type type,
    OnServerDown onServerDown,
    ClientIp clientIp,
    HttpCookie httpCookie,
    AppCookie appCookie,
    CustomHeader customHeader,
    Tls tls) {

  /** The persistence types. */
  public enum Type {
    ClientIP,
    HttpCookie,
    AppCookie,
    CustomHeader,
    TLS
  }

  /** What happens to a persisted client whose server is down. */
  public enum OnServerDown {
    /** Pick a new server now and rewrite the entry. */
    Immediate,
    /** Keep sending to the persisted server until the entry expires. */
    Never
  }

  /**
   * Client address persistence.
   *
   * @param timeoutMinutes after the client's last connection closes (default 5; 0 disables)
   * @param prefixLengthV4 mask applied to IPv4 clients (default 32)
   * @param prefixLengthV6 mask applied to IPv6 clients (default 128)
   */
  public record ClientIp(Double timeoutMinutes, Integer prefixLengthV4, Integer prefixLengthV6) {
    public ClientIp {
      timeoutMinutes = Defaults.orElse(timeoutMinutes, 5.0);
      prefixLengthV4 = Defaults.orElse(prefixLengthV4, 32);
      prefixLengthV6 = Defaults.orElse(prefixLengthV6, 128);
    }
  }

  /**
   * A cookie the proxy inserts, holding the server in an authenticated, encrypted value.
   *
   * @param timeoutMinutes absolute lifetime enforced from the value itself, 0 = none
   * @param maxAgeSeconds makes the cookie persistent with this Max-Age, 0 = session cookie
   * @param sameSite {@code Strict}, {@code Lax}, {@code None} or absent
   */
  public record HttpCookie(
      String name,
      double timeoutMinutes,
      int maxAgeSeconds,
      String path,
      String domain,
      boolean secure,
      Boolean httpOnly,
      String sameSite) {
    public HttpCookie {
      name = Defaults.orElse(name, "LIMPET");
      path = Defaults.orElse(path, "/");
      httpOnly = Defaults.orElse(httpOnly, Boolean.TRUE);
    }
  }

  /**
   * Learns an application's session cookie from {@code Set-Cookie}.
   *
   * @param timeoutMinutes idle lifetime of a learned entry (default 20)
   */
  public record AppCookie(String name, Double timeoutMinutes) {
    public AppCookie {
      name = Defaults.orElse(name, "JSESSIONID");
      timeoutMinutes = Defaults.orElse(timeoutMinutes, 20.0);
    }
  }

  /** Matches a request header's value against each server's {@code headerValue}. */
  public record CustomHeader(String name) {}

  /**
   * Pins the client's TLS session (a resumed session returns to its server); only on TLS virtual
   * services.
   *
   * @param timeoutMinutes idle lifetime of an entry (default 5, the data plane's TLS session
   *     lifetime: a later return is a full handshake anyway)
   */
  public record Tls(Double timeoutMinutes) {
    public Tls {
      timeoutMinutes = Defaults.orElse(timeoutMinutes, 5.0);
    }
  }

  public PersistenceProfileConfig {
    onServerDown = Defaults.orElse(onServerDown, OnServerDown.Immediate);
    if (type == Type.ClientIP) clientIp = Defaults.orElse(clientIp, new ClientIp(null, null, null));
    if (type == Type.HttpCookie)
      httpCookie =
          Defaults.orElse(httpCookie, new HttpCookie(null, 0, 0, null, null, false, null, null));
    if (type == Type.AppCookie) appCookie = Defaults.orElse(appCookie, new AppCookie(null, null));
    if (type == Type.TLS) tls = Defaults.orElse(tls, new Tls(null));
  }
}
