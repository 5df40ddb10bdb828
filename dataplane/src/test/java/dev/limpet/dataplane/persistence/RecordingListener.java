package dev.limpet.dataplane.persistence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records table events as {@code "upsert table key=value@expiry"} and {@code "remove table key"}.
 */
final class RecordingListener implements TableListener {
  final List<String> events = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void changed(String table, String key, PersistenceTable.Entry entry) {
    events.add(
        entry.removed()
            ? "remove " + table + " " + key
            : "upsert " + table + " " + key + "=" + entry.value() + "@" + entry.expiresAtMillis());
  }
}
