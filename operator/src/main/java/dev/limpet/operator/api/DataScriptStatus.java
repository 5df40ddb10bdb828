package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * What the operator last concluded about a DataScript, compilation included.
 *
 * @param selectionFallbacks the {@code avi.pool.select} calls that did not go to the server they
 *     named (the pool balanced instead), by reason ({@code down}, {@code not_member}, ...), summed
 *     over the ready data-plane replicas that run the script, since each started; absent when none
 *     fell back. Polled from the replicas' admin port.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataScriptStatus(
    Long observedGeneration, List<Condition> conditions, Map<String, Long> selectionFallbacks) {
  public DataScriptStatus(Long observedGeneration, List<Condition> conditions) {
    this(observedGeneration, conditions, null);
  }
}
