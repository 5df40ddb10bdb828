package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.persistence.TableRegistry;
import dev.limpet.dataplane.transport.Transport;
import io.netty.channel.EventLoop;

/** What the links of one replica share; everything but the log is used on {@code loop} only. */
record PeerContext(
    Replica self,
    PeerSettings settings,
    PeerAuth auth,
    TableRegistry tables,
    ChangeLog log,
    Positions positions,
    ValueInterner values,
    PeerMetrics metrics,
    Transport transport,
    EventLoop loop) {}
