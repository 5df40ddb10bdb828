package dev.limpet.operator.reconciler;

import java.util.Map;

/** The default system PersistenceProfiles: one per persistence type, editable, never deleted. */
public final class SystemProfiles {
  /** The label that marks a default system profile. */
  public static final String LABEL = "limpet.dev/system";

  private SystemProfiles() {}

  public static boolean isSystem(Map<String, String> labels) {
    return labels != null && "true".equals(labels.get(LABEL));
  }
}
