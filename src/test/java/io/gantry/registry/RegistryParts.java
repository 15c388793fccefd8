package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ClusterQueueSettings;
import io.gantry.registry.cluster.ClusterQueueStore;
import io.gantry.registry.cluster.ConcurrencyKeys;
import io.gantry.registry.scheduling.PoolScheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A registry's parts wired as {@link WorkerRegistry} wires them, outside an actor: the test calls them as the actor's
 * handlers would, fires the recorded timers itself, and hears what goes to Executions on one probe.
 */
final class RegistryParts {
  final RegistrySettings settings;
  final RecordingTimers timers = new RecordingTimers();
  final Map<String, WorkerEntry> workers = new LinkedHashMap<>();
  final List<CompletionStage<ClusterAnswer>> redisCalls = new CopyOnWriteArrayList<>();
  final TestProbe<ExecutionProtocol.Command> executions;
  final PoolScheduler scheduler;
  final HeldAttempts held;
  final LongPolls polls;
  final AttemptDispatch dispatch;
  final WorkerMembership membership;

  RegistryParts(ActorSystem<?> system, RegistrySettings settings) {
    this.settings = settings;
    this.executions = TestProbe.create(system);
    ClusterQueueSettings shared = new ClusterQueueSettings(Duration.ofSeconds(30), Duration.ofMillis(500),
        Duration.ofSeconds(5));
    ConcurrencyKeys keys = new ConcurrencyKeys(new ClusterQueueStore(GantryRedis.get(system)), shared,
        redisCalls::add);
    this.scheduler = new PoolScheduler(settings.aging().toMillis(), settings.rateLimitPerSecond());
    this.held = new HeldAttempts(id -> executions.getRef(),
        attemptId -> keys.lost(attemptId).ifPresent(key -> scheduler.releaseKey(key, attemptId)),
        new NodeMembership(system));
    this.polls = new LongPolls(scheduler, timers);
    this.dispatch = new AttemptDispatch(scheduler, workers, held, keys, polls, timers, shared.keyRetry());
    this.membership = new WorkerMembership(workers, settings, scheduler, held, keys, dispatch, polls,
        id -> executions.getRef(), system.log());
  }

  static RegistrySettings settings(Duration heartbeat, Duration unreachableGrace, Duration offlineRetention) {
    return new RegistrySettings(heartbeat, unreachableGrace, Duration.ofMinutes(5), 0, Duration.ofMillis(500),
        offlineRetention);
  }

  static WorkerRegistration http(String workerId, int slots) {
    return new WorkerRegistration(workerId, "http", "default", "host", 1L, List.of("cpu"), slots, List.of(), null,
        null);
  }

  static WorkerRegistration cluster(String workerId, String nodeAddress) {
    return new WorkerRegistration(workerId, "cluster", "default", "host", 1L, List.of("cpu"), 2, List.of(), null,
        nodeAddress);
  }

  static JobOffer offer(String executionId, String jobId) {
    return offer(executionId, jobId, null);
  }

  static JobOffer offer(String executionId, String jobId, String concurrencyKey) {
    return new JobOffer(executionId + ":" + jobId + ":1", executionId, jobId, "noop", 5, List.of(), null,
        concurrencyKey, "default", 0, null, null, 1, null, System.currentTimeMillis());
  }

  /** The answer of the latest Redis call made for the registry (as it would arrive as a message). */
  ClusterAnswer lastAnswer() {
    return io.gantry.testkit.Await.result(redisCalls.get(redisCalls.size() - 1));
  }

  WorkerEntry register(WorkerRegistration r, ActorRef<WorkerProtocol.Command> agent) {
    membership.register(r, agent, null);
    return workers.get(r.workerId());
  }
}
