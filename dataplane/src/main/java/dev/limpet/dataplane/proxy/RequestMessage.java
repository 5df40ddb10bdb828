package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;

/**
 * A request head on its way through the proxy's stages, wrapped with what a stage found out about
 * it. It counts references through its head (a head that arrived with its body is
 * reference-counted), so whoever drops the message releases the head.
 */
sealed interface RequestMessage extends ReferenceCounted
    permits RoutedRequest, Denied, Misdirected, ScriptedRequest, ScriptAnswer {
  HttpRequest head();

  @Override
  default int refCnt() {
    return head() instanceof ReferenceCounted counted ? counted.refCnt() : 1;
  }

  @Override
  default RequestMessage retain() {
    ReferenceCountUtil.retain(head());
    return this;
  }

  @Override
  default RequestMessage retain(int increment) {
    ReferenceCountUtil.retain(head(), increment);
    return this;
  }

  @Override
  default RequestMessage touch() {
    ReferenceCountUtil.touch(head());
    return this;
  }

  @Override
  default RequestMessage touch(Object hint) {
    ReferenceCountUtil.touch(head(), hint);
    return this;
  }

  @Override
  default boolean release() {
    return ReferenceCountUtil.release(head());
  }

  @Override
  default boolean release(int decrement) {
    return ReferenceCountUtil.release(head(), decrement);
  }
}
