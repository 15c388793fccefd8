package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One attempt of a job as shown in the job detail: who ran it, when, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(String attemptId, int number, String workerId, Long startedAt, Long endedAt,
    String outcome, String error) implements CborSerializable {}
