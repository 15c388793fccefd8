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

  /**
   * Resources and build facts; requirements are matched against these. {@code shellCommands}: absent when the
   * worker runs any shell command, empty when it runs none (shell disabled), else the only programs it starts
   * (OPERATIONS.md "What a shell job can do and how to restrict it").
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metadata(Integer cpuCores, Double memoryGB, Integer gpuCount, String version, String platform,
      List<String> shellCommands) implements CborSerializable {

    public Metadata(Integer cpuCores, Double memoryGB, Integer gpuCount, String version, String platform) {
      this(cpuCores, memoryGB, gpuCount, version, platform, null);
    }
  }

  public boolean http() {
    return "http".equals(kind);
  }
}
