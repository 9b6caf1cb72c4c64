package dev.flinkspot.cost.live;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a report is about.
 *
 * @param deployment the FlinkDeployment's name (in the report's namespace)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlinkCostReportSpec(String deployment) {}
