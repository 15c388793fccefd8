package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a worker says about itself when it registers (API.md {@code POST /workers/register}). {@code kind} is
 * "cluster" for worker nodes and "http" for HTTP workers; an empty {@code jobTypes} takes any type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerRegistration(
    String workerId,
    String kind,
    String pool,
    String hostname,
    Long pid,
    List<String> capabilities,
    int maxConcurrency,
    List<String> jobTypes,
    Metadata metadata,
    /** The cluster address of a worker node (failure detection follows it); null for HTTP workers. */
    String nodeAddress) implements CborSerializable {

  /** Resources and build facts; requirements are matched against these. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metadata(Integer cpuCores, Double memoryGB, Integer gpuCount, String version, String platform)
      implements CborSerializable {}

  public boolean http() {
    return "http".equals(kind);
  }
}
