package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;

/** The points of a transaction where DataScripts run, with their Avi and configuration names. */
public enum ScriptEvent {
  /** Request head parsed, before load balancing. */
  HTTP_REQ("httpRequest"),
  /** Upstream response head arrived, before it goes to the client. */
  HTTP_RESP("httpResponse"),
  /** No valid upstream response (connect failure, timeout, reset). */
  HTTP_RESP_FAILED("httpResponseFailed");

  private final String specKey;

  ScriptEvent(String specKey) {
    this.specKey = specKey;
  }

  /** The key of this event under a DataScript's {@code events} in the configuration. */
  public String specKey() {
    return specKey;
  }

  /** This event's source in {@code events}, or null when the script has none for it. */
  public String source(DataScriptConfig.Events events) {
    return switch (this) {
      case HTTP_REQ -> events.httpRequest();
      case HTTP_RESP -> events.httpResponse();
      case HTTP_RESP_FAILED -> events.httpResponseFailed();
    };
  }
}
