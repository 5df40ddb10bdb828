package dev.limpet.dataplane.script;

import dev.limpet.dataplane.upstream.Server;
import java.util.List;

/** The pools of the configuration a virtual service runs with, as {@code avi.pool.*} sees them. */
public interface ScriptPools {
  /** The live members of {@code pool} (by its configuration name), empty if there is none. */
  List<Server> members(String pool);
}
