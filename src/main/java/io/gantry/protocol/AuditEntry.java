package io.gantry.protocol;

import java.util.List;

/**
 * One user action in an execution's audit trail (GET /execute/{id}/audit, {@code Gantry.audit}): {@code action} is
 * submitted, paused, resumed, cancelled, job-cancelled or retried; {@code by} who asked (null when not recorded:
 * events written before audit existed or asked through older nodes); {@code jobIds} the jobs it touched (cancel, retry);
 * {@code sequenceNr} the event's journal sequence number (its {@code id} on the event stream).
 */
public record AuditEntry(long sequenceNr, String action, Principal by, List<String> jobIds, long at)
    implements CborSerializable {}
