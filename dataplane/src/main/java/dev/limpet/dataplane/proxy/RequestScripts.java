package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.PoolSelection;
import dev.limpet.dataplane.script.ScriptEvent;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The request-script stage: runs the HTTP_REQ DataScripts of a routed request's virtual service (on
 * its head as it will go upstream, with the body bytes {@link RequestBodyBuffer} buffered). A
 * request they let through becomes a {@link ScriptedRequest} with the pool (and server) they chose;
 * one they answered, failed on or closed the connection for becomes a {@link ScriptAnswer}, which
 * the proxy sends in its turn. Requests of virtual services without HTTP_REQ scripts, and
 * everything else, pass on unchanged.
 */
@Sharable
public final class RequestScripts extends ChannelInboundHandlerAdapter {
  public static final String NAME = "requestScripts";

  private final ScriptView.Listener listener;

  /**
   * @param tls whether the listener terminates TLS
   */
  public RequestScripts(ProxyContext context, int port, boolean tls) {
    this.listener = new ScriptView.Listener(context, port, tls);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request
        && request.routed()
        && request.vs().scripts() != null
        && request.vs().scripts().handles(ScriptEvent.HTTP_REQ)) {
      ctx.fireChannelRead(run(ctx, request));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private RequestMessage run(ChannelHandlerContext ctx, RoutedRequest request) {
    ScriptTransaction transaction = new ScriptTransaction();
    ScriptResult result =
        ScriptView.run(
            ScriptEvent.HTTP_REQ, ctx.channel(), listener, request, transaction, null, null, 0);
    if (!(result.action() instanceof ScriptResult.Proceed)
        || result.close() != ScriptResult.Close.NONE) {
      return new ScriptAnswer(request, transaction, result);
    }
    PoolSelection selection = result.selection();
    return selection == null
        ? new ScriptedRequest(request, transaction, request.vs().pool(), null)
        : new ScriptedRequest(
            request,
            transaction,
            request.config().pools().pool(selection.pool()),
            selection.server());
  }
}
