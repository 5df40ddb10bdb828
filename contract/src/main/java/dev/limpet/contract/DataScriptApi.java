package dev.limpet.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a DataScript may name: every {@code avi.*} function and constant and every {@code string}
 * function Limpet offers, and for each function of Avi's documented DataScript API that it does not
 * offer, why. The compiler refuses a script that names anything else, so a script fails at load
 * with its line, never per request with {@code attempt to call nil}. The data plane's bindings are
 * held to this list by a test.
 */
public final class DataScriptApi {
  private DataScriptApi() {}

  /**
   * The numeric constants of {@code avi}: message selectors, the query-table selector, statuses.
   */
  public static final Map<String, Integer> CONSTANTS =
      Map.ofEntries(
          Map.entry("HTTP_REQUEST", 1),
          Map.entry("HTTP_RESPONSE", 2),
          Map.entry("QUERY_TABLE", 3),
          // avi.vs.rate_limit's type and the actions it reports (numbers, as Avi's are)
          Map.entry("RL_CUSTOM_STRING", 1),
          Map.entry("RL_ACTION_NONE", 0),
          Map.entry("RL_ACTION_CLOSE_CONN", 1),
          Map.entry("RL_ACTION_LOCAL_RSP", 2),
          // what avi.ssl.client_cert returns (numbers; Avi's own examples also pass the names
          // quoted, "avi.CLIENT_CERT_ISSUER", which it accepts too)
          Map.entry("CLIENT_CERT", 1),
          Map.entry("CLIENT_CERT_FINGERPRINT", 2),
          Map.entry("CLIENT_CERT_SUBJECT", 3),
          Map.entry("CLIENT_CERT_ISSUER", 4),
          Map.entry("CLIENT_CERT_SERIAL", 5),
          Map.entry("CLIENT_CERT_NOTVALIDBEFORE", 6),
          Map.entry("CLIENT_CERT_NOTVALIDAFTER", 7),
          Map.entry("CLIENT_CERT_VERSION", 8),
          Map.entry("CLIENT_CERT_SIGALG", 9),
          Map.entry("CLIENT_CERT_ESCAPED", 10),
          Map.entry("CLIENT_CERT_SAN_EXTENSION", 11),
          Map.entry("CLIENT_CERT_SAN_EXTENSIONS", 11),
          // avi.crypto's algorithms
          Map.entry("CIPHER_AES", 1),
          Map.entry("CIPHER_3DES", 2),
          Map.entry("HTTP_CONTINUE", 100),
          Map.entry("HTTP_SWITCHING_PROTOCOLS", 101),
          Map.entry("HTTP_OK", 200),
          Map.entry("HTTP_CREATED", 201),
          Map.entry("HTTP_ACCEPTED", 202),
          Map.entry("HTTP_NO_CONTENT", 204),
          Map.entry("HTTP_PARTIAL_CONTENT", 206),
          Map.entry("HTTP_SPECIAL_RESPONSE", 300),
          Map.entry("HTTP_MOVED_PERMANENTLY", 301),
          Map.entry("HTTP_MOVED_TEMPORARILY", 302),
          Map.entry("HTTP_SEE_OTHER", 303),
          Map.entry("HTTP_NOT_MODIFIED", 304),
          Map.entry("HTTP_TEMPORARY_REDIRECT", 307),
          Map.entry("HTTP_PERMANENT_REDIRECT", 308),
          Map.entry("HTTP_BAD_REQUEST", 400),
          Map.entry("HTTP_UNAUTHORIZED", 401),
          Map.entry("HTTP_PAYMENT_REQUIRED", 402),
          Map.entry("HTTP_FORBIDDEN", 403),
          Map.entry("HTTP_NOT_FOUND", 404),
          Map.entry("HTTP_NOT_ALLOWED", 405),
          Map.entry("HTTP_NOT_ACCEPTABLE", 406),
          Map.entry("HTTP_REQUEST_TIMEOUT", 408),
          Map.entry("HTTP_CONFLICT", 409),
          Map.entry("HTTP_GONE", 410),
          Map.entry("HTTP_UPGRADE_REQUIRED", 426),
          Map.entry("HTTP_TOO_MANY_REQUESTS", 429),
          Map.entry("HTTP_INTERNAL_SERVER_ERROR", 500),
          Map.entry("HTTP_METHOD_NOT_IMPLEMENTED", 501),
          Map.entry("HTTP_BAD_GATEWAY", 502),
          Map.entry("HTTP_SERVICE_UNAVAILABLE", 503),
          Map.entry("HTTP_GATEWAY_TIMEOUT", 504),
          Map.entry("HTTP_VERSION_NOT_SUPPORTED", 505));

  /** The functions of each {@code avi} namespace that Limpet offers. */
  public static final Map<String, Set<String>> FUNCTIONS =
      Map.of(
          "avi.vs",
          Set.of(
              "name",
              "ip",
              "port",
              "client_ip",
              "client_port",
              "log",
              "table_insert",
              "table_lookup",
              "table_refresh",
              "table_remove",
              "persist",
              "rate_limit",
              "get_open_conns",
              "se_count"),
          "avi.vs.ratelimit",
          Set.of("exceed"),
          "avi.http",
          Set.of(
              "get_header",
              "get_headers",
              "add_header",
              "replace_header",
              "remove_header",
              "get_cookie",
              "cookie_exists",
              "get_cookie_names",
              "remove_cookie",
              "add_cookie",
              "replace_cookie",
              "method",
              "hostname",
              "protocol",
              "secure",
              "scheme",
              "set_userid",
              "get_userid",
              "get_uri",
              "get_path",
              "get_path_tokens",
              "get_host_tokens",
              "get_request_id",
              "get_reqvar",
              "set_reqvar",
              "get_query",
              "get_req_body",
              "set_uri",
              "set_path",
              "set_query",
              "status",
              "response",
              "redirect",
              "close_conn",
              "internal_status"),
          "avi.pool",
          Set.of(
              "select",
              "chash",
              "get_server_status",
              "get_servers",
              "server_ip",
              "get_server_info"),
          "avi.utils",
          Set.of(
              "base64_encode",
              "base64_decode",
              "md5_hash",
              "sha1_hash",
              "murmur_hash",
              "rand_bytes",
              "ip_in_subnet"),
          "avi.utils.ip",
          Set.of("netaddr"),
          "avi.crypto",
          Set.of("encrypt", "decrypt"),
          "avi.ssl",
          Set.of("protocol", "cipher", "server_name", "client_cert", "check_client_cert_validity"),
          "avi.ipgroup",
          Set.of("contains"),
          "avi.stringgroup",
          Set.of(
              "equals",
              "beginswith",
              "endswith",
              "contains",
              "equals_CASE",
              "beginswith_CASE",
              "endswith_CASE",
              "contains_CASE"));

  /** Tables whose fields are the script's own ({@code avi.vs.reqvar.user}): never checked. */
  public static final Set<String> OPEN_TABLES = Set.of("avi.vs.reqvar");

  /** Lua 5.2's {@code string} library as DataScripts have it ({@code dump} is removed). */
  public static final Set<String> LUA_STRING =
      Set.of(
          "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "rep",
          "reverse", "sub", "upper");

  /** Avi's additions to {@code string}. */
  public static final Set<String> AVI_STRING =
      Set.of("beginswith", "contains", "endswith", "split");

  private static final String NOT_YET = "not implemented in Limpet yet: ";

  /** Functions of Avi's documented HTTP-layer API that Limpet does not offer, and why. */
  public static final Map<String, String> REFUSED = refused();

  /** Whole namespaces Limpet does not offer, and why. */
  public static final Map<String, String> REFUSED_NAMESPACES =
      Map.of(
          "avi.poolgroup",
          "Limpet has no pool groups: select a pool with avi.pool.select",
          "avi.vs.analytics",
          "Limpet has no user-defined analytics metrics; its metrics are on the admin port",
          "avi.l4",
          "Limpet runs HTTP DataScripts only (HTTP_REQ, HTTP_RESP, HTTP_RESP_FAILED), no L4 events",
          "avi.dns",
          "Limpet runs HTTP DataScripts only (HTTP_REQ, HTTP_RESP, HTTP_RESP_FAILED), no DNS events");

  private static Map<String, String> refused() {
    Map<String, String> r = new LinkedHashMap<>();
    String buffered =
        "the proxy streams response bodies and does not buffer them for scripts"
            + " (request bodies: avi.http.get_req_body)";
    r.put("avi.http.get_response_body", NOT_YET + buffered);
    r.put("avi.http.set_response_body_buffer_size", NOT_YET + buffered);
    r.put("avi.http.set_response_body_size", NOT_YET + buffered);
    r.put("avi.http.disable", "Limpet has no L4 mode to hand an HTTP connection to");
    r.put("avi.http.get_token", "Limpet has no OAuth or SAML authentication");
    r.put("avi.http.get_saml_session_cookie", "Limpet has no OAuth or SAML authentication");
    r.put("avi.vs.close", "an L4 function: use avi.http.close_conn");
    r.put("avi.pool.get_server_ip", "an L4 function: use avi.pool.server_ip");
    r.put("avi.utils.get_geo_from_ip", "Limpet has no geo-IP database");
    r.put("avi.utils.get_ip_reputation", "Limpet has no IP reputation feed");
    String handshake =
        "Limpet runs no TLS handshake events (SSL_CLIENTHELLO, SSL_HANDSHAKE_DONE): a virtual"
            + " service's certificates and TLS settings are chosen by its spec and SNI";
    r.put("avi.ssl.set_ssl_profile", handshake);
    r.put("avi.ssl.set_ssl_certificate", handshake);
    r.put("avi.ssl.get_tls_fingerprint", "Limpet computes no JA3/JA4 TLS fingerprints");
    String noPki =
        "client certificates are verified in the handshake against the VirtualService's"
            + " tls.clientCertificates; there is no PKI profile to set or query; use"
            + " avi.ssl.check_client_cert_validity and avi.ssl.client_cert";
    r.put("avi.ssl.set_pki_profile", noPki);
    r.put("avi.ssl.renegotiate", "Limpet refuses TLS renegotiation (TLS 1.3 has none)");
    r.put("avi.ssl.client_cert_verify_mode", noPki);
    r.put("avi.ssl.client_cert_verified", noPki);
    r.put("avi.ssl.clear_client_cert_verify_error", noPki);
    r.put("avi.ssl.client_cert_verify_error_string", noPki);
    r.put("avi.ssl.check_err_in_client_cert", noPki);
    r.put(
        "avi.CLIENT_CERT_X509_EXTENSIONS",
        "not offered by avi.ssl.client_cert in Limpet; CLIENT_CERT_SAN_EXTENSION is");
    return Map.copyOf(r);
  }

  /**
   * Why a script may not name {@code path} (a dotted chain read from the globals {@code avi} or
   * {@code string}, e.g. {@code avi.http.get_req_body}), or null when it may, or when {@code path}
   * is a namespace on the way to a name it may.
   */
  public static String problem(String path) {
    if (path.equals("avi") || path.equals("string")) return null;
    for (String open : OPEN_TABLES)
      if (path.equals(open) || path.startsWith(open + ".")) return null;
    if (path.startsWith("string.")) {
      String name = path.substring("string.".length());
      if (LUA_STRING.contains(name) || AVI_STRING.contains(name)) return null;
      return name.equals("dump")
          ? path + " is not available in DataScripts (scripts cannot handle bytecode)"
          : path + " is not a function of Lua's string library nor one of Avi's additions";
    }
    String why = REFUSED.get(path);
    if (why != null) return path + " is not available in Limpet: " + why;
    for (var ns : REFUSED_NAMESPACES.entrySet()) {
      if (path.equals(ns.getKey())) return null; // the function read from it is reported
      if (path.startsWith(ns.getKey() + "."))
        return path + " is not available in Limpet: " + ns.getValue();
    }
    if (path.startsWith("avi.") && path.indexOf('.', 4) < 0) {
      String name = path.substring(4);
      if (CONSTANTS.containsKey(name)
          || FUNCTIONS.containsKey(path)
          || REFUSED_NAMESPACES.containsKey(path)
          || isRefusedPrefix(path)) return null;
      return path + " is not a namespace or constant of Avi's DataScript API that Limpet knows";
    }
    if (FUNCTIONS.containsKey(path)) return null;
    int dot = path.lastIndexOf('.');
    var functions = FUNCTIONS.get(path.substring(0, dot));
    if (functions != null && functions.contains(path.substring(dot + 1))) return null;
    if (isRefusedPrefix(path)) return null;
    return path + " is not a function of Avi's DataScript API that Limpet knows";
  }

  /** True for a namespace on the way to a refused name ({@code avi.vs} for {@code avi.vs.x.y}). */
  private static boolean isRefusedPrefix(String path) {
    String prefix = path + ".";
    for (String name : REFUSED.keySet()) if (name.startsWith(prefix)) return true;
    for (String ns : REFUSED_NAMESPACES.keySet()) if (ns.startsWith(prefix)) return true;
    return false;
  }
}
