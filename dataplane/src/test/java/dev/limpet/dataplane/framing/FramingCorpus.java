package dev.limpet.dataplane.framing;

import static dev.limpet.dataplane.framing.FramingCase.ABORTED;
import static dev.limpet.dataplane.framing.FramingCase.NOTHING;

import java.util.List;

/**
 * The request-framing corpus: one case per known smuggling family (CL.TE, TE.CL, TE.TE, CL.CL), per
 * finding of issue 11, and per line-level trick (bare LF and CR, obs-fold, whitespace before the
 * colon, control bytes, versions). Shared by {@link FramingCorpusTest} and the side-by-side
 * comparison with HAProxy ({@link FramingComparison}). Every request that should succeed ends with
 * {@code Connection: close}, so the client reads until the proxy closes.
 */
public final class FramingCorpus {
  private FramingCorpus() {}

  private static final String CLOSE = "Connection: close\r\n";

  /** Forwarded fields as the data plane adds them (the bench prints, it does not compare). */
  static final String FWD = "${fwd}";

  public static final List<FramingCase> CASES =
      List.of(
          // ---- finding 1: Connection naming framing fields
          new FramingCase(
              "connection-names-content-length",
              "POST /a HTTP/1.1\r\nHost: t\r\nConnection: close, Content-Length\r\n"
                  + "Content-Length: 5\r\n\r\nhello",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n" + FWD + "\r\nhello"),
          new FramingCase(
              "connection-names-transfer-encoding",
              "POST /a HTTP/1.1\r\nHost: t\r\nConnection: close, Transfer-Encoding\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + FWD
                  + "\r\n5\r\nhello\r\n0\r\n\r\n"),
          new FramingCase(
              "connection-names-host",
              "GET /a HTTP/1.1\r\nHost: t\r\nConnection: close, Host\r\n\r\n",
              "200",
              "GET /a HTTP/1.1\r\nHost: t\r\n" + FWD + "\r\n"),
          // ---- finding 2 and TE.TE obfuscations
          new FramingCase(
              "te-xchunked-with-content-length",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n"
                  + "hello",
              "400",
              NOTHING),
          new FramingCase(
              "te-unknown-coding",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: foo\r\n\r\nhello",
              "400",
              NOTHING),
          new FramingCase(
              "te-chunked-identity",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-chunked-gzip",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-gzip-chunked",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-chunked-twice-in-one-field",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-repeated-field",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-identity-then-chunked-fields",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: identity\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-extra-spaces",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:   chunked  \r\n"
                  + CLOSE
                  + "\r\n5\r\nhello\r\n0\r\n\r\n",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + FWD
                  + "\r\n5\r\nhello\r\n0\r\n\r\n"),
          new FramingCase(
              "te-tab",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:\tchunked\r\n"
                  + CLOSE
                  + "\r\n5\r\nhello\r\n0\r\n\r\n",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + FWD
                  + "\r\n5\r\nhello\r\n0\r\n\r\n"),
          new FramingCase(
              "te-upper-case",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: CHUNKED\r\n"
                  + CLOSE
                  + "\r\n5\r\nhello\r\n0\r\n\r\n",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: CHUNKED\r\n"
                  + FWD
                  + "\r\n5\r\nhello\r\n0\r\n\r\n"),
          new FramingCase(
              "te-vertical-tab",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: \u000bchunked\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-space-before-colon",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-in-http10",
              "POST /a HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "5\r\nhello\r\n0\r\n\r\n",
              "400",
              NOTHING),
          // ---- CL.TE, TE.CL, CL.CL
          new FramingCase(
              "cl-te",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "te-cl",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                  + "5c\r\nGPOST /smuggled HTTP/1.1\r\nContent-Length: 15\r\n\r\nx=1\r\n0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "cl-cl-identical",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
              "400",
              NOTHING),
          new FramingCase(
              "cl-cl-conflicting",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
              "400",
              NOTHING),
          new FramingCase(
              "cl-list",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 6\r\n\r\nhello!",
              "400",
              NOTHING),
          new FramingCase(
              "cl-plus-sign",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello",
              "400",
              NOTHING),
          new FramingCase(
              "cl-negative",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\nhello",
              "400",
              NOTHING),
          new FramingCase(
              "cl-valid",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n" + CLOSE + "\r\nhello",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n" + FWD + "\r\nhello"),
          // ---- finding 3: chunked bodies
          new FramingCase(
              "chunk-extension",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + CLOSE
                  + "\r\n5;name=value\r\nhello\r\n0\r\n\r\n",
              "200",
              "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  + FWD
                  + "\r\n5\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-size-not-hex", "zz\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-size-0x-prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-size-negative", "-5\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-size-overflow-2^64+5", "10000000000000005\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-size-overflow-2^32+5", "100000005\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-line-bare-lf", "5\nhello\r\n0\r\n\r\n"),
          chunked("chunk-data-bare-lf", "5\r\nhello\n0\r\n\r\n"),
          chunked("chunk-data-longer-than-size", "3\r\nhello\r\n0\r\n\r\n"),
          chunked("chunk-data-then-not-crlf", "5\r\nhelloXY0\r\n\r\n"),
          chunked("chunk-extension-bare-lf", "5;a\nb\r\nhello\r\n0\r\n\r\n"),
          chunked("last-chunk-bare-lf", "5\r\nhello\r\n0\n\n"),
          // ---- finding 4: Host, request-target, versions, upgrades, methods
          new FramingCase(
              "host-duplicate",
              "GET /a HTTP/1.1\r\nHost: t\r\nHost: other\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase("host-missing", "GET /a HTTP/1.1\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "absolute-form-replaces-host",
              "GET http://T/a?b=c HTTP/1.1\r\nHost: t\r\n" + CLOSE + "\r\n",
              "200",
              "GET /a?b=c HTTP/1.1\r\nhost: T\r\n" + FWD + "\r\n"),
          new FramingCase(
              "absolute-form-without-host",
              "GET http://t/a HTTP/1.1\r\n" + CLOSE + "\r\n",
              "200",
              "GET /a HTTP/1.1\r\nhost: t\r\n" + FWD + "\r\n"),
          new FramingCase(
              "absolute-form-host-differs",
              "GET http://t/a HTTP/1.1\r\nHost: other\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "absolute-form-userinfo",
              "GET http://user@t/a HTTP/1.1\r\nHost: t\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "target-nul", "GET /a\u0000b HTTP/1.1\r\nHost: t\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "target-control-byte", "GET /a\u0001b HTTP/1.1\r\nHost: t\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "target-del", "GET /a\u007fb HTTP/1.1\r\nHost: t\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "target-non-ascii", "GET /a\u00ffb HTTP/1.1\r\nHost: t\r\n\r\n", "400", NOTHING),
          new FramingCase("version-2.0", "GET /a HTTP/2.0\r\nHost: t\r\n\r\n", "505", NOTHING),
          new FramingCase("version-9.9", "GET /a HTTP/9.9\r\nHost: t\r\n\r\n", "505", NOTHING),
          new FramingCase(
              "version-lower-case", "GET /a http/1.1\r\nHost: t\r\n\r\n", "505", NOTHING),
          new FramingCase(
              "upgrade-h2c-not-forwarded",
              "GET /a HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                  + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
              "200",
              "GET /a HTTP/1.1\r\nHost: t\r\n" + FWD + "\r\n"),
          new FramingCase(
              "upgrade-websocket-forwarded",
              "GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\n"
                  + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
              "200",
              "GET /ws HTTP/1.1\r\nHost: t\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nupgrade: websocket\r\n"
                  + "connection: upgrade\r\n"
                  + FWD
                  + "\r\n"),
          new FramingCase(
              "connect-method", "CONNECT t:443 HTTP/1.1\r\nHost: t:443\r\n\r\n", "405", NOTHING),
          // ---- line-level tricks
          new FramingCase(
              "obs-fold", "GET /a HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n 2\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "obs-fold-transfer-encoding",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"
                  + "0\r\n\r\n",
              "400",
              NOTHING),
          new FramingCase(
              "space-before-colon",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length : 5\r\n\r\nhello",
              "400",
              NOTHING),
          new FramingCase(
              "bare-cr-in-field", "GET /a HTTP/1.1\r\nHost: t\rX-A: 1\r\n\r\n", "400", NOTHING),
          new FramingCase("bare-lf-line-endings", "GET /a HTTP/1.1\nHost: t\n\n", "400", NOTHING),
          new FramingCase(
              "bare-lf-after-request-line", "GET /a HTTP/1.1\nHost: t\r\n\r\n", "400", NOTHING),
          new FramingCase(
              "nul-in-field-value",
              "GET /a HTTP/1.1\r\nHost: t\r\nX-A: 1\u00002\r\n\r\n",
              "400",
              NOTHING),
          // ---- pipelining
          new FramingCase(
              "pipelined-requests",
              "GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\n"
                  + CLOSE
                  + "\r\n",
              "200 200",
              "GET /one HTTP/1.1\r\nHost: t\r\n"
                  + FWD
                  + "\r\nGET /two HTTP/1.1\r\nHost: t\r\n"
                  + FWD
                  + "\r\n"),
          new FramingCase(
              "pipelined-after-cl-te",
              "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "0\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\n\r\n",
              "400",
              NOTHING));

  /** A chunked POST whose body {@code body} is malformed: 400, nothing whole upstream. */
  private static FramingCase chunked(String name, String body) {
    return new FramingCase(
        name,
        "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
        "400",
        ABORTED);
  }
}
