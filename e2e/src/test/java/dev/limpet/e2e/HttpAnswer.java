package dev.limpet.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 exchange over a fresh connection, from a chosen source address (each client of a
 * test is its own 127.0.x.y, as different hosts would be). Raw sockets, because the JDK's client
 * cannot pick its source address.
 *
 * @param backend the demo pod that answered ("hello from <pod>"), or null
 */
record HttpAnswer(int status, Map<String, String> headers, String body, String backend) {

  static HttpAnswer get(
      String from, String host, int port, String path, Map<String, String> headers)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(5000);
      if (from != null) socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(host, port), 2000);
      StringBuilder request =
          new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return parse(socket.getInputStream());
    }
  }

  /** The demo pod named by a body "hello from NAME", or null. */
  static String backendOf(String body) {
    return body.startsWith("hello from ") ? body.substring("hello from ".length()).trim() : null;
  }

  private static HttpAnswer parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new IOException("no complete response head: " + text);
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    String body = text.substring(end + 4);
    return new HttpAnswer(status, headers, body, backendOf(body));
  }

  /** The value of cookie {@code name} this answer sets, or null. */
  String setCookie(String name) {
    String header = headers.get("set-cookie");
    if (header == null) return null;
    for (String part : header.split("[,;]")) {
      String p = part.trim();
      if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
    }
    return null;
  }
}
