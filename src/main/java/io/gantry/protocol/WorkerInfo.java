package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A registered worker as the API shows it ({@code WorkerRegistration} of API.md plus its assigned jobs). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkerInfo(
    String workerId,
    String kind,
    String pool,
    String hostname,
    Long pid,
    List<String> capabilities,
    List<String> jobTypes,
    int maxConcurrency,
    int currentLoad,
    double utilization,
    long registeredAt,
    long lastHeartbeat,
    String status,
    WorkerRegistration.Metadata metadata,
    List<AssignedJob> assignedJobs) implements CborSerializable {

  public record AssignedJob(String attemptId, String executionId, String jobId) implements CborSerializable {}
}
