package io.gantry.api;

import java.util.List;

/** The answer to {@code POST /execute/distributed/bulk} (202): one entry per submitted document, in their order. */
public record ExecutionsAccepted(List<ExecutionAccepted> items) {
}
