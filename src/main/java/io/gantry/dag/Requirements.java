package io.gantry.dag;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a worker must offer to run a job; every field is optional (null = no requirement). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Requirements(Double minMemoryGB, Integer minCpuCores, Boolean requireGpu, Integer minGpuCount) {

  public static final Requirements NONE = new Requirements(null, null, null, null);
}
