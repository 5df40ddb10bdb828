package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptResult;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;

/** Notes which ending a stage asked the proxy handler for, in words, without carrying it out. */
final class RecordedEndings implements ExchangeEndings {
  final List<String> asked = new ArrayList<>();

  @Override
  public void reply(Exchange e, HttpResponseStatus status, String text) {
    asked.add("reply " + status.code() + " " + text);
  }

  @Override
  public void scriptReply(Exchange e, ScriptResult result) {
    var reply =
        LocalReplies.fromScript(result, HttpResponseStatus.INTERNAL_SERVER_ERROR, "script error");
    asked.add("script reply " + reply.status().code());
    reply.release();
  }

  @Override
  public void serverFailed(Exchange e, HttpResponseStatus status, String text) {
    asked.add("server failed " + status.code() + " " + text);
  }

  @Override
  public void abandon(Exchange e) {
    asked.add("abandon");
  }

  @Override
  public void closeClient() {
    asked.add("close client");
  }

  @Override
  public void refuseConnection(HttpResponseStatus status, String text) {
    asked.add("refuse " + status.code() + " " + text);
  }
}
