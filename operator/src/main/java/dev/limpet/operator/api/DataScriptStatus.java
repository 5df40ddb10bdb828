package dev.limpet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator last concluded about a DataScript, compilation included. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataScriptStatus(Long observedGeneration, List<Condition> conditions) {}
