package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator last concluded about a VirtualService.
 *
 * @param address where clients reach it ({@code host:port})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServiceStatus(
    Long observedGeneration, List<Condition> conditions, String address) {}
