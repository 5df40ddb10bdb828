package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator last concluded about a Pool.
 *
 * @param serversUp servers that take new clients (enabled, endpoint ready)
 * @param serversTotal every server, draining ones included
 * @param servers {@code up/total}, for the printer column
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolStatus(
    Long observedGeneration,
    List<Condition> conditions,
    Integer serversUp,
    Integer serversTotal,
    String servers) {}
