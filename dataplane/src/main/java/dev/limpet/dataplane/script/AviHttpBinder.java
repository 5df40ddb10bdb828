package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.ALL;
import static dev.limpet.dataplane.script.Namespace.REQUEST;
import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;
import static dev.limpet.dataplane.script.Namespace.RESPONSE;

import dev.limpet.dataplane.http.FieldBytes;
import dev.limpet.dataplane.script.Cookies.SetCookie;
import dev.limpet.dataplane.script.ScriptResult.Close;
import dev.limpet.dataplane.script.ScriptResult.LocalResponse;
import dev.limpet.dataplane.script.ScriptResult.Redirect;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code avi.http}: headers, cookies, the request line, the status and local replies. */
final class AviHttpBinder {
  private static final Set<ScriptEvent> REDIRECT_EVENTS =
      EnumSet.of(ScriptEvent.HTTP_REQ, ScriptEvent.HTTP_RESP_FAILED);
  private static final Set<Integer> REDIRECT_STATUS = Set.of(301, 302, 307);

  private AviHttpBinder() {}

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    return new ReadOnlyTable(
        new Namespace("avi.http", runs)
            .add("get_header", REQUEST_RESPONSE, AviHttpBinder::getHeader)
            // the spelling of Avi's own Shellshock example
            .add("get_headers", REQUEST_RESPONSE, AviHttpBinder::getHeader)
            .add("add_header", REQUEST_RESPONSE, (run, args) -> editHeader(run, args, false))
            .add("replace_header", REQUEST_RESPONSE, (run, args) -> editHeader(run, args, true))
            .add("remove_header", REQUEST_RESPONSE, AviHttpBinder::removeHeader)
            .add("get_cookie", REQUEST_RESPONSE, AviHttpBinder::getCookie)
            .add("cookie_exists", REQUEST_RESPONSE, AviHttpBinder::cookieExists)
            .add("get_cookie_names", REQUEST_RESPONSE, AviHttpBinder::cookieNames)
            .add("remove_cookie", REQUEST_RESPONSE, AviHttpBinder::removeCookie)
            .add("add_cookie", REQUEST_RESPONSE, (run, args) -> setCookie(run, args, false))
            .add("replace_cookie", REQUEST_RESPONSE, (run, args) -> setCookie(run, args, true))
            .add("method", REQUEST_RESPONSE, (run, args) -> str(request(run).method().name()))
            .add("hostname", REQUEST_RESPONSE, AviHttpBinder::hostname)
            .add(
                "protocol",
                REQUEST_RESPONSE,
                (run, a) -> str(run.exchange.secure() ? "https" : "http"))
            .add("secure", REQUEST_RESPONSE, (run, a) -> LuaValue.valueOf(run.exchange.secure()))
            .add(
                "scheme",
                REQUEST_RESPONSE,
                (run, a) -> str(run.exchange.secure() ? "https" : "http"))
            .add("set_userid", REQUEST_RESPONSE, AviHttpBinder::setUserId)
            .add("get_userid", REQUEST_RESPONSE, AviHttpBinder::getUserId)
            .add("get_uri", REQUEST_RESPONSE, AviHttpBinder::getUri)
            .add("get_path", REQUEST_RESPONSE, AviHttpBinder::getPath)
            .add("get_path_tokens", REQUEST_RESPONSE, AviHttpBinder::pathTokens)
            .add("get_host_tokens", REQUEST_RESPONSE, AviHttpBinder::hostTokens)
            .add("get_request_id", ALL, (run, a) -> str(run.transaction.requestId()))
            .add("get_reqvar", ALL, (run, a) -> run.transaction.reqvar().get(a.string(1)))
            .add("set_reqvar", ALL, AviHttpBinder::setReqvar)
            .add("get_query", REQUEST_RESPONSE, AviHttpBinder::getQuery)
            .add("get_req_body", REQUEST_RESPONSE, AviHttpBinder::requestBody)
            .add("set_uri", REQUEST, AviHttpBinder::setUri)
            .add("set_path", REQUEST, AviHttpBinder::setPath)
            .add("set_query", REQUEST, AviHttpBinder::setQuery)
            .add("status", RESPONSE, AviHttpBinder::status)
            .add("response", ALL, AviHttpBinder::response)
            .add("redirect", REDIRECT_EVENTS, AviHttpBinder::redirect)
            .add("close_conn", REQUEST_RESPONSE, AviHttpBinder::closeConnection)
            .add(
                "internal_status",
                EnumSet.of(ScriptEvent.HTTP_RESP_FAILED),
                (run, a) -> LuaValue.valueOf(run.exchange.internalStatus()))
            .table());
  }

  /**
   * {@code get_req_body([size])}: the request body as buffered before HTTP_REQ (at most {@code
   * scriptLimits.maxScriptBodyBytes}: the first bytes of a longer one), or its first {@code size}
   * bytes; {@code ""} without a body. Raw bytes, never decoded.
   */
  private static Varargs requestBody(ScriptRun run, Args args) {
    byte[] body = run.exchange.requestBody();
    if (body == null)
      throw args.error(
          "the request body was not buffered: Limpet buffers it for a virtual service whose"
              + " scripts name avi.http.get_req_body directly (not through a computed name)");
    int size = args.isNil(1) ? 0 : args.wholeInRange(1, 0, Integer.MAX_VALUE);
    int n = size == 0 ? body.length : Math.min(size, body.length);
    return LuaString.valueUsing(n == body.length ? body : java.util.Arrays.copyOf(body, n));
  }

  private static LuaValue str(String s) {
    return LuaText.lua(s);
  }

  private static HttpRequest request(ScriptRun run) {
    return run.exchange.request();
  }

  /** The message of the current event, or the one a context argument names. */
  private static HttpMessage message(ScriptRun run, Args args, int contextArg) {
    int context =
        args.isNil(contextArg)
            ? (run.event == ScriptEvent.HTTP_REQ
                ? AviConstants.HTTP_REQUEST
                : AviConstants.HTTP_RESPONSE)
            : (int) args.whole(contextArg);
    if (context == AviConstants.HTTP_REQUEST) return run.exchange.request();
    if (context == AviConstants.HTTP_RESPONSE && run.exchange.response() != null)
      return run.exchange.response();
    if (context == AviConstants.HTTP_RESPONSE)
      throw args.bad(contextArg, "there is no response in " + run.event);
    throw args.bad(contextArg, "avi.HTTP_REQUEST or avi.HTTP_RESPONSE expected");
  }

  private static boolean isContext(LuaValue v) {
    return v.type() == LuaValue.TNUMBER
        && (v.toint() == AviConstants.HTTP_REQUEST || v.toint() == AviConstants.HTTP_RESPONSE);
  }

  /**
   * {@code get_header([name] [, context])}: the first value of {@code name}, or, without a name, a
   * table of every header as Avi returns it: names in lower case, the value a string, or an array
   * of strings for a repeated header (several {@code Set-Cookie}). Reading that table with any
   * spelling of a name works too ({@code h["Set-Cookie"]}).
   */
  private static Varargs getHeader(ScriptRun run, Args args) {
    boolean contextOnly = isContext(args.get(1));
    HttpHeaders headers = message(run, args, contextOnly ? 1 : 2).headers();
    if (!contextOnly && !args.isNil(1)) {
      String name = args.string(1);
      if (headers instanceof FieldBytes fields) {
        // HttpHeaders.get gives the first received field still present before any added one
        int field = fields.next(name, 0);
        if (field >= 0) {
          LuaString value =
              run.transaction.receivedValue(
                  fields.bytes(), fields.valueStart(field), fields.valueEnd(field));
          if (value != null) return value;
        }
      }
      String value = headers.get(name);
      return value == null ? LuaValue.NIL : run.lua(value);
    }
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers)
      byName
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), n -> new ArrayList<>(1))
          .add(h.getValue());
    LuaTable all = new LuaTable(0, byName.size());
    byName.forEach(
        (name, values) -> {
          if (values.size() == 1) all.rawset(name, values.get(0));
          else {
            LuaTable array = new LuaTable(values.size(), 0);
            for (int i = 0; i < values.size(); i++) array.rawset(i + 1, str(values.get(i)));
            all.rawset(name, array);
          }
        });
    all.setmetatable(ANY_CASE_NAMES);
    return all;
  }

  /** Lets {@code get_header()}'s table be read with a name in any case. */
  private static final LuaTable ANY_CASE_NAMES = anyCaseNames();

  private static LuaTable anyCaseNames() {
    LuaTable meta = new LuaTable();
    meta.rawset(
        LuaValue.INDEX,
        new org.luaj.vm2.lib.TwoArgFunction() {
          @Override
          public LuaValue call(LuaValue table, LuaValue key) {
            if (key.type() != LuaValue.TSTRING) return NIL;
            String lower = key.tojstring().toLowerCase(Locale.ROOT);
            return table.rawget(lower);
          }
        });
    return new ReadOnlyTable(meta);
  }

  private static HttpHeaders writableHeaders(ScriptRun run) {
    return (run.event == ScriptEvent.HTTP_REQ ? run.exchange.request() : run.exchange.response())
        .headers();
  }

  private static String headerName(Args args, int i) {
    String name = args.string(i);
    if (!HeaderRules.isToken(name)) throw args.bad(i, "'" + name + "' is not a header name");
    return name;
  }

  private static Varargs editHeader(ScriptRun run, Args args, boolean replace) {
    String name = headerName(args, 1);
    String value = args.string(2);
    if (!HeaderRules.isFieldValue(value)) throw args.bad(2, "header value contains CR, LF or NUL");
    if (replace) writableHeaders(run).set(name, value);
    else writableHeaders(run).add(name, value);
    return LuaValue.NONE;
  }

  private static Varargs removeHeader(ScriptRun run, Args args) {
    writableHeaders(run).remove(headerName(args, 1));
    return LuaValue.NONE;
  }

  private static List<Map.Entry<String, String>> cookies(HttpMessage message) {
    return message instanceof HttpRequest
        ? Cookies.ofRequest(message.headers())
        : Cookies.ofResponse(message.headers());
  }

  private static Varargs getCookie(ScriptRun run, Args args) {
    String name = args.string(1);
    for (var c : cookies(message(run, args, 2)))
      if (c.getKey().equals(name)) return str(c.getValue());
    return LuaValue.NIL;
  }

  private static Varargs cookieExists(ScriptRun run, Args args) {
    String name = args.string(1);
    return LuaValue.valueOf(
        cookies(message(run, args, 2)).stream().anyMatch(c -> c.getKey().equals(name)));
  }

  /** {@code get_cookie_names([context])}: a table of distinct names, and their count. */
  private static Varargs cookieNames(ScriptRun run, Args args) {
    Set<String> names = new LinkedHashSet<>();
    for (var c : cookies(message(run, args, 1))) names.add(c.getKey());
    LuaTable table = new LuaTable();
    int i = 1;
    for (String name : names) table.rawset(i++, str(name));
    return LuaValue.varargsOf(table, LuaValue.valueOf(names.size()));
  }

  /** {@code remove_cookie(name, ...)} from the current event's message. */
  private static Varargs removeCookie(ScriptRun run, Args args) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 1; i <= Math.max(1, args.count()); i++) names.add(args.string(i));
    HttpHeaders headers = writableHeaders(run);
    if (run.event == ScriptEvent.HTTP_REQ) {
      List<Map.Entry<String, String>> kept = new ArrayList<>(Cookies.ofRequest(headers));
      kept.removeIf(c -> names.contains(c.getKey()));
      Cookies.setRequest(headers, kept);
    } else Cookies.removeFromResponse(headers, names);
    return LuaValue.NONE;
  }

  private static Varargs setCookie(ScriptRun run, Args args, boolean replace) {
    if (run.event == ScriptEvent.HTTP_REQ) setRequestCookies(run, args, replace);
    else {
      SetCookie cookie = args.get(1).istable() ? cookieFromTable(args) : cookieFromArgs(args);
      HttpHeaders headers = writableHeaders(run);
      if (replace) Cookies.removeFromResponse(headers, Set.of(cookie.name()));
      headers.add(HttpHeaderNames.SET_COOKIE, cookie.header());
    }
    return LuaValue.NONE;
  }

  /** In HTTP_REQ: {@code (name1, value1, name2, value2, ...)} into the one Cookie header. */
  private static void setRequestCookies(ScriptRun run, Args args, boolean replace) {
    int n = args.count();
    if (n == 0 || n % 2 != 0) throw args.error("name and value pairs expected");
    Map<String, String> added = new LinkedHashMap<>();
    for (int i = 1; i < n; i += 2) added.put(cookieName(args, i), cookieValue(args, i + 1));
    HttpHeaders headers = writableHeaders(run);
    List<Map.Entry<String, String>> cookies = new ArrayList<>(Cookies.ofRequest(headers));
    if (replace) cookies.removeIf(c -> added.containsKey(c.getKey()));
    cookies.addAll(added.entrySet());
    Cookies.setRequest(headers, cookies);
  }

  /**
   * In HTTP_RESP: {@code (name, value [, path [, domain [, expires [, max_age [, httponly [,
   * secure]]]]]])}.
   */
  private static SetCookie cookieFromArgs(Args args) {
    return new SetCookie(
        cookieName(args, 1),
        cookieValue(args, 2),
        args.isNil(3) ? null : cookieValue(args, 3),
        args.isNil(4) ? null : cookieValue(args, 4),
        args.isNil(5) ? 0 : args.whole(5),
        args.isNil(6) ? 0 : args.whole(6),
        args.get(7).toboolean(),
        args.get(8).toboolean(),
        null);
  }

  /** The table form {@code {name=, value=, path=, domain=, expires=, max_age=, httponly=, ...}}. */
  private static SetCookie cookieFromTable(Args args) {
    LuaTable t = (LuaTable) args.get(1);
    Args fields =
        new Args(
            "avi.http.add_cookie",
            LuaValue.varargsOf(
                new LuaValue[] {
                  t.get("name"),
                  t.get("value"),
                  t.get("path"),
                  t.get("domain"),
                  t.get("expires"),
                  t.get("max_age"),
                  t.get("httponly"),
                  t.get("secure"),
                  t.get("samesite")
                }));
    SetCookie c = cookieFromArgs(fields);
    String sameSite = fields.isNil(9) ? null : fields.string(9);
    if (sameSite != null && !Set.of("Strict", "Lax", "None").contains(sameSite))
      throw args.bad(1, "samesite must be Strict, Lax or None");
    return new SetCookie(
        c.name(),
        c.value(),
        c.path(),
        c.domain(),
        c.expiresEpochSeconds(),
        c.maxAgeSeconds(),
        c.httpOnly(),
        c.secure(),
        sameSite);
  }

  private static String cookieName(Args args, int i) {
    String name = args.string(i);
    String problem = Cookies.nameProblem(name);
    if (problem != null) throw args.bad(i, problem);
    return name;
  }

  private static String cookieValue(Args args, int i) {
    String value = args.text(i);
    String problem = Cookies.valueProblem(value);
    if (problem != null) throw args.bad(i, problem);
    return value;
  }

  /** Bounds what a script puts into every access-log line of the request. */
  static final int MAX_USER_ID_CHARS = 256;

  /** {@code set_userid(id)}: the request's user, logged as {@code user} in the access log. */
  private static Varargs setUserId(ScriptRun run, Args args) {
    String id = args.string(1);
    if (id.length() > MAX_USER_ID_CHARS)
      throw args.bad(1, "at most " + MAX_USER_ID_CHARS + " characters");
    run.transaction.userId(id);
    return LuaValue.NONE;
  }

  private static Varargs getUserId(ScriptRun run, Args args) {
    String id = run.transaction.userId();
    return id == null ? LuaValue.NIL : str(id);
  }

  /** The Host without its port ({@code [::1]} keeps its brackets). */
  private static Varargs hostname(ScriptRun run, Args args) {
    String host = request(run).headers().get(HttpHeaderNames.HOST);
    if (host == null) return str("");
    int colon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
    return str(colon < 0 ? host : host.substring(0, colon));
  }

  private static RequestTarget target(ScriptRun run) {
    return RequestTarget.parse(request(run).uri());
  }

  /** {@code get_uri([decoded=true])}: path and query. */
  private static Varargs getUri(ScriptRun run, Args args) {
    String uri = target(run).pathAndQuery();
    return str(decoded(args) ? RequestTarget.decode(uri, false) : uri);
  }

  private static Varargs getPath(ScriptRun run, Args args) {
    String path = target(run).path();
    return str(decoded(args) ? RequestTarget.decode(path, false) : path);
  }

  /** {@code get_path_tokens([start [, end]])}: path segments start..end joined by '/'; or nil. */
  private static Varargs pathTokens(ScriptRun run, Args args) {
    return tokens(target(run).path(), '/', args);
  }

  /** {@code get_host_tokens([start [, end]])}: host labels start..end joined by '.'; or nil. */
  private static Varargs hostTokens(ScriptRun run, Args args) {
    return tokens(hostname(run, args).arg1().tojstring(), '.', args);
  }

  private static Varargs tokens(String text, char separator, Args args) {
    int start = args.isNil(1) ? 1 : args.wholeInRange(1, 1, Integer.MAX_VALUE);
    int end = args.isNil(2) ? Integer.MAX_VALUE : args.wholeInRange(2, start, Integer.MAX_VALUE);
    RunLimiter.active().chargeBytes(text.length());
    String range = TextTokens.range(text, separator, start, end);
    return range == null ? LuaValue.NIL : str(range);
  }

  /** {@code set_reqvar(name, value)}: {@code avi.vs.reqvar[name] = value}. */
  private static Varargs setReqvar(ScriptRun run, Args args) {
    run.transaction.reqvar().set(args.string(1), args.get(2));
    return LuaValue.NONE;
  }

  private static boolean decoded(Args args) {
    return args.isNil(1) || args.get(1).toboolean();
  }

  /**
   * {@code get_query()}: raw query ("" if none); {@code (name)}: one value; {@code (QUERY_TABLE)}.
   */
  private static Varargs getQuery(ScriptRun run, Args args) {
    RequestTarget target = target(run);
    if (args.isNil(1)) return str(target.query() == null ? "" : target.query());
    LuaValue first = args.get(1);
    if (first.type() == LuaValue.TNUMBER && first.toint() == AviConstants.QUERY_TABLE) {
      LuaTable table = new LuaTable();
      for (var p : target.parameters())
        if (table.rawget(p.getKey()).isnil()) table.rawset(p.getKey(), p.getValue());
      return table;
    }
    String name = args.string(1);
    for (var p : target.parameters()) if (p.getKey().equals(name)) return str(p.getValue());
    return LuaValue.NIL;
  }

  private static void writeTarget(ScriptRun run, RequestTarget target) {
    request(run).setUri(target.uri());
  }

  private static Varargs setUri(ScriptRun run, Args args) {
    String uri = args.string(1);
    if (!uri.startsWith("/") || !HeaderRules.isTarget(uri))
      throw args.bad(1, "a URI starting with / and without spaces or control characters expected");
    writeTarget(run, RequestTarget.parse(target(run).prefix() + uri));
    return LuaValue.NONE;
  }

  private static Varargs setPath(ScriptRun run, Args args) {
    String path = args.string(1);
    if (!path.startsWith("/") || path.indexOf('?') >= 0 || !HeaderRules.isTarget(path))
      throw args.bad(
          1, "a path starting with /, without '?', spaces or control characters expected");
    writeTarget(run, target(run).withPath(path));
    return LuaValue.NONE;
  }

  private static Varargs setQuery(ScriptRun run, Args args) {
    String query = args.string(1);
    if (query.startsWith("?")) query = query.substring(1);
    if (!query.isEmpty() && !HeaderRules.isTarget(query))
      throw args.bad(1, "a query without spaces or control characters expected");
    writeTarget(run, target(run).withQuery(query));
    return LuaValue.NONE;
  }

  private static Varargs status(ScriptRun run, Args args) {
    return str(String.valueOf(run.exchange.response().status().code()));
  }

  /** {@code response(status [, headers [, body]])}: ends the script with a local reply. */
  private static Varargs response(ScriptRun run, Args args) {
    int status = args.wholeInRange(1, 100, 599);
    HttpHeaders headers = new DefaultHttpHeaders();
    if (!args.isNil(2)) {
      if (!args.get(2).istable()) throw args.bad(2, "table of headers expected");
      LuaTable table = (LuaTable) args.get(2);
      for (Varargs n = table.next(LuaValue.NIL); !n.arg1().isnil(); n = table.next(n.arg1())) {
        Args header = new Args("avi.http.response", LuaValue.varargsOf(n.arg1(), n.arg(2)));
        String name = HeaderRules.aviHeaderName(headerName(header, 1));
        List<LuaValue> values = new ArrayList<>();
        if (n.arg(2).istable())
          for (int i = 1; i <= n.arg(2).length(); i++) values.add(n.arg(2).get(i));
        else values.add(n.arg(2));
        for (LuaValue v : values) {
          String value = new Args("avi.http.response", v).text(1);
          if (!HeaderRules.isFieldValue(value))
            throw args.bad(2, "header value contains CR, LF or NUL");
          headers.add(name, value);
        }
      }
    }
    byte[] body = new byte[0];
    if (!args.isNil(3)) {
      var s = args.get(3).checkstring();
      body = new byte[s.length()];
      s.copyInto(0, body, 0, body.length);
    }
    // Avi's documented default, so that a script's HTML body needs its own content_type
    if (!headers.contains(HttpHeaderNames.CONTENT_TYPE))
      headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    run.replyAndExit(new LocalResponse(status, headers, body));
    return LuaValue.NONE;
  }

  /** {@code redirect(uri [, status=302])}: ends the script with a redirect. */
  private static Varargs redirect(ScriptRun run, Args args) {
    String location = args.string(1);
    if (location.isEmpty() || !HeaderRules.isFieldValue(location))
      throw args.bad(1, "a URI without CR, LF or NUL expected");
    int status = args.isNil(2) ? 302 : (int) args.whole(2);
    if (!REDIRECT_STATUS.contains(status)) throw args.bad(2, "status must be 301, 302 or 307");
    run.replyAndExit(new Redirect(location, status));
    return LuaValue.NONE;
  }

  /** {@code close_conn([reset])}: FIN after this event, or RST when {@code reset} is true. */
  private static Varargs closeConnection(ScriptRun run, Args args) {
    run.close(args.get(1).toboolean() ? Close.RST : Close.FIN);
    return LuaValue.NONE;
  }
}
