package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;

import dev.limpet.contract.DataScriptApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code avi.ssl}: what the client connection's TLS handshake settled (protocol, cipher suite, SNI
 * name, client certificate), read from its {@link SSLSession}. On a plain-HTTP virtual service
 * every function returns nil (and {@code check_client_cert_validity} 0), so a script shared between
 * an HTTP and an HTTPS service runs on both.
 */
final class AviSslBinder {
  /** Avi's {@code check_client_cert_validity} results. */
  static final int CERT_NOT_PRESENTED = 0;

  static final int CERT_VALID = 1;

  private static final int CLIENT_CERT = constant("CLIENT_CERT");
  private static final int FINGERPRINT = constant("CLIENT_CERT_FINGERPRINT");
  private static final int SUBJECT = constant("CLIENT_CERT_SUBJECT");
  private static final int ISSUER = constant("CLIENT_CERT_ISSUER");
  private static final int SERIAL = constant("CLIENT_CERT_SERIAL");
  private static final int NOT_BEFORE = constant("CLIENT_CERT_NOTVALIDBEFORE");
  private static final int NOT_AFTER = constant("CLIENT_CERT_NOTVALIDAFTER");
  private static final int VERSION = constant("CLIENT_CERT_VERSION");
  private static final int SIGALG = constant("CLIENT_CERT_SIGALG");
  private static final int ESCAPED = constant("CLIENT_CERT_ESCAPED");
  private static final int SAN = constant("CLIENT_CERT_SAN_EXTENSION");

  /** OpenSSL's {@code ASN1_TIME_print}: {@code Sep 13 14:32:13 2024 GMT}. */
  private static final DateTimeFormatter OPENSSL_TIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** The short names OpenSSL prints in a DN that the JDK writes as an OID. */
  private static final Map<String, String> DN_KEYWORDS =
      Map.of("1.2.840.113549.1.9.1", "emailAddress", "2.5.4.5", "serialNumber");

  /** OpenSSL's names of the signature algorithms certificates use. */
  private static final Map<String, String> SIGNATURE_ALGORITHMS =
      Map.ofEntries(
          Map.entry("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
          Map.entry("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
          Map.entry("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
          Map.entry("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
          Map.entry("1.2.840.113549.1.1.10", "rsassaPss"),
          Map.entry("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
          Map.entry("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
          Map.entry("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
          Map.entry("1.3.101.112", "ED25519"));

  private AviSslBinder() {}

  private static int constant(String name) {
    return DataScriptApi.CONSTANTS.get(name);
  }

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    return new ReadOnlyTable(
        new Namespace("avi.ssl", runs)
            .add("protocol", REQUEST_RESPONSE, AviSslBinder::protocol)
            .add("cipher", REQUEST_RESPONSE, AviSslBinder::cipher)
            .add("server_name", REQUEST_RESPONSE, AviSslBinder::serverName)
            .add("client_cert", REQUEST_RESPONSE, AviSslBinder::clientCert)
            .add("check_client_cert_validity", REQUEST_RESPONSE, AviSslBinder::validity)
            .table());
  }

  /** {@code protocol()}: {@code "TLSv1.2"}, {@code "TLSv1.3"}; nil on plain HTTP. */
  private static Varargs protocol(ScriptRun run, Args args) {
    SSLSession session = run.exchange.tlsSession();
    return session == null ? LuaValue.NIL : LuaValue.valueOf(session.getProtocol());
  }

  /**
   * {@code cipher([true])}: the suite's OpenSSL name; with {@code true}, OpenSSL's description
   * ({@code name version Kx=.. Au=.. Enc=.. Mac=..}) with the negotiated protocol as version.
   */
  private static Varargs cipher(ScriptRun run, Args args) {
    SSLSession session = run.exchange.tlsSession();
    if (session == null) return LuaValue.NIL;
    CipherSuiteNames.Suite suite = CipherSuiteNames.of(session.getCipherSuite());
    return LuaValue.valueOf(
        args.get(1).toboolean() ? suite.description(session.getProtocol()) : suite.openSslName());
  }

  /** {@code server_name()}: the SNI name of the handshake; nil without one or on plain HTTP. */
  private static Varargs serverName(ScriptRun run, Args args) {
    if (run.exchange.tlsSession() == null) return LuaValue.NIL;
    String name = run.exchange.serverName();
    return name == null ? LuaValue.NIL : LuaValue.valueOf(name);
  }

  /**
   * {@code check_client_cert_validity()}: 1 when the client presented a certificate (the handshake
   * accepted it: one it refuses fails the handshake, so Avi's 2, "presented but invalid", never
   * reaches a script), 0 when it presented none or on plain HTTP.
   */
  private static Varargs validity(ScriptRun run, Args args) {
    return LuaValue.valueOf(peer(run) == null ? CERT_NOT_PRESENTED : CERT_VALID);
  }

  /**
   * {@code client_cert([field, ...])}: the client's certificate in PEM (each line after the first
   * prefixed with a tab), or the fields asked for, one value each, in order; nil when the client
   * presented none or on plain HTTP.
   */
  private static Varargs clientCert(ScriptRun run, Args args) {
    X509Certificate cert = peer(run);
    if (cert == null) return LuaValue.NIL;
    int n = args.count();
    if (n == 0) return LuaValue.valueOf(pem(cert, "\n\t"));
    LuaValue[] values = new LuaValue[n];
    for (int i = 1; i <= n; i++) values[i - 1] = field(cert, selector(args, i));
    return LuaValue.varargsOf(values);
  }

  /** A field selector: {@code avi.CLIENT_CERT_*}, or its name as a string (Avi's own examples). */
  private static int selector(Args args, int i) {
    LuaValue v = args.get(i);
    if (v.type() == LuaValue.TNUMBER) {
      int value = v.toint();
      if (value >= CLIENT_CERT && value <= SAN && v.todouble() == value) return value;
      throw args.bad(i, "avi.CLIENT_CERT_* expected, got " + v.tojstring());
    }
    if (v.type() == LuaValue.TSTRING) {
      String name = v.tojstring();
      if (name.startsWith("avi.")) name = name.substring(4);
      Integer value = name.startsWith("CLIENT_CERT") ? DataScriptApi.CONSTANTS.get(name) : null;
      if (value != null) return value;
      throw args.bad(i, "avi.CLIENT_CERT_* expected, got '" + v.tojstring() + "'");
    }
    throw args.bad(i, "avi.CLIENT_CERT_* expected, got " + v.typename());
  }

  private static LuaValue field(X509Certificate cert, int field) {
    if (field == CLIENT_CERT) return LuaValue.valueOf(pem(cert, "\n\t"));
    if (field == ESCAPED)
      // percent-encoding throughout (a space is %20), as nginx's $ssl_client_escaped_cert
      return LuaValue.valueOf(
          URLEncoder.encode(pem(cert, "\n"), StandardCharsets.UTF_8).replace("+", "%20"));
    if (field == FINGERPRINT) return LuaValue.valueOf(sha1(encoded(cert)));
    if (field == SUBJECT) return LuaValue.valueOf(oneLine(cert.getSubjectX500Principal()));
    if (field == ISSUER) return LuaValue.valueOf(oneLine(cert.getIssuerX500Principal()));
    if (field == SERIAL) return LuaValue.valueOf(serial(cert));
    if (field == NOT_BEFORE)
      return LuaValue.valueOf(OPENSSL_TIME.format(cert.getNotBefore().toInstant()));
    if (field == NOT_AFTER)
      return LuaValue.valueOf(OPENSSL_TIME.format(cert.getNotAfter().toInstant()));
    if (field == VERSION) return LuaValue.valueOf(cert.getVersion());
    if (field == SIGALG)
      return LuaValue.valueOf(
          SIGNATURE_ALGORITHMS.getOrDefault(cert.getSigAlgOID(), cert.getSigAlgName()));
    return san(cert);
  }

  /** Upper-case hex, an even number of digits, as OpenSSL prints a serial. */
  private static String serial(X509Certificate cert) {
    String hex = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    return hex.length() % 2 == 0 ? hex : "0" + hex;
  }

  private static X509Certificate peer(ScriptRun run) {
    SSLSession session = run.exchange.tlsSession();
    if (session == null) return null;
    try {
      var chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // the client presented none
    }
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate from a handshake has an encoding", e);
    }
  }

  private static String pem(X509Certificate cert, String lineBreak) {
    String body =
        Base64.getMimeEncoder(64, lineBreak.getBytes(StandardCharsets.US_ASCII))
            .encodeToString(encoded(cert));
    return "-----BEGIN CERTIFICATE-----"
        + lineBreak
        + body
        + lineBreak
        + "-----END CERTIFICATE-----"
        + "\n";
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** OpenSSL's one-line DN: {@code /C=US/O=foo/CN=www.foo.com}, most significant first. */
  static String oneLine(X500Principal principal) {
    try {
      StringBuilder out = new StringBuilder();
      for (Rdn rdn : new LdapName(principal.getName(X500Principal.RFC2253, DN_KEYWORDS)).getRdns())
        out.append('/').append(rdn.getType()).append('=').append(rdn.getValue());
      return out.toString();
    } catch (InvalidNameException e) {
      throw new IllegalStateException("the JDK's own RFC 2253 name does not parse", e);
    }
  }

  /** OpenSSL's print of the SAN extension: {@code DNS:a.example, IP Address:10.0.0.1}; or nil. */
  private static LuaValue san(X509Certificate cert) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return LuaValue.NIL;
    }
    if (names == null) return LuaValue.NIL;
    List<String> parts = new ArrayList<>();
    for (List<?> name : names) {
      String prefix =
          switch ((Integer) name.get(0)) {
            case 1 -> "email:";
            case 2 -> "DNS:";
            case 6 -> "URI:";
            case 7 -> "IP Address:";
            default -> null;
          };
      if (prefix != null && name.get(1) instanceof String value) parts.add(prefix + value);
    }
    return LuaValue.valueOf(String.join(", ", parts));
  }
}
