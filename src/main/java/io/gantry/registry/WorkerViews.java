package io.gantry.registry;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.QueueStats;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.registry.scheduling.JobRequirements;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.SchedulerStats;
import io.gantry.registry.scheduling.WorkerProfile;
import io.gantry.registry.scheduling.WorkerView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** How the registry shows its workers ({@link WorkerInfo}) and translates offers and registrations for its scheduler. */
final class WorkerViews {
  private final String pool;
  private final RegistrySettings settings;
  private final PoolScheduler scheduler;
  private final Map<String, JobOffer> running;

  WorkerViews(String pool, RegistrySettings settings, PoolScheduler scheduler, Map<String, JobOffer> running) {
    this.pool = pool;
    this.settings = settings;
    this.scheduler = scheduler;
    this.running = running;
  }

  WorkerInfo info(WorkerEntry w, long now) {
    WorkerRegistration r = w.registration;
    WorkerView view = scheduler.worker(w.id()).orElse(null);
    List<WorkerInfo.AssignedJob> assigned = new ArrayList<>();
    if (view != null) {
      for (String attemptId : view.runningAttemptIds()) {
        JobOffer o = running.get(attemptId);
        if (o != null) {
          assigned.add(new WorkerInfo.AssignedJob(attemptId, o.executionId(), o.jobId()));
        }
      }
    }
    w.adopted.values().forEach(a -> assigned.add(new WorkerInfo.AssignedJob(a.attemptId(), a.executionId(),
        a.jobId())));
    int load = Math.max(assigned.size(), w.reportedLoad);
    double utilization = r.maxConcurrency() == 0 ? 0 : Math.min(1.0, (double) load / r.maxConcurrency());
    return new WorkerInfo(r.workerId(), r.kind(), pool, r.hostname(), r.pid(), r.capabilities(), r.jobTypes(),
        r.maxConcurrency(), load, utilization, w.registeredAt, w.lastHeartbeat, status(w, load, now),
        r.metadata(), assigned);
  }

  /** The pool's queue and worker figures. */
  QueueStats stats(Collection<WorkerEntry> workers, long dispatched, boolean paused, long now) {
    SchedulerStats s = scheduler.stats(now);
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byCapability = new TreeMap<>();
    int capacity = 0;
    int load = 0;
    int live = 0;
    for (WorkerEntry w : workers) {
      WorkerInfo info = info(w, now);
      byStatus.merge(info.status(), 1, Integer::sum);
      if (!w.offline()) {
        live++;
        capacity += info.maxConcurrency();
        load += info.currentLoad();
        info.capabilities().forEach(c -> byCapability.merge(c, 1, Integer::sum));
      }
    }
    Map<String, Integer> byPriority = new TreeMap<>();
    s.queuedByPriority().forEach((p, n) -> byPriority.put(String.valueOf(p), n));
    Map<String, QueueStats.Backlog> backlog = new TreeMap<>();
    s.backlogByCapability().forEach((c, b) -> backlog.put(c, new QueueStats.Backlog(b.queued(), b.oldestQueuedAgeMs())));
    double utilization = capacity == 0 ? 0.0 : Math.min(1.0, (double) load / capacity);
    return new QueueStats(pool, s.queued(), s.running(), paused, live, byStatus, byCapability,
        capacity, load, utilization, byPriority, backlog, s.oldestQueuedAgeMs(), dispatched);
  }


  private String status(WorkerEntry w, int load, long now) {
    if (w.offline()) {
      return "offline";
    }
    boolean silent = w.agent == null && w.poll == null
        && now - w.lastHeartbeat > settings.heartbeatInterval().toMillis() * 3 / 2;
    if (w.unreachable || silent) {
      return "unhealthy";
    }
    if (load == 0) {
      return "idle";
    }
    return load >= w.registration.maxConcurrency() ? "busy" : "active";
  }

  static JobRequirements requirementsOf(JobOffer o) {
    var r = o.requirements();
    Set<String> caps = o.requiredCapabilities() == null ? Set.of() : Set.copyOf(o.requiredCapabilities());
    if (r == null) {
      return new JobRequirements(caps, null, null, false, null);
    }
    return new JobRequirements(caps, r.minMemoryGB(), r.minCpuCores(), Boolean.TRUE.equals(r.requireGpu()),
        r.minGpuCount());
  }

  static WorkerProfile profileOf(WorkerRegistration r) {
    var md = r.metadata();
    double memory = md == null || md.memoryGB() == null ? 0 : md.memoryGB();
    int cores = md == null || md.cpuCores() == null ? 0 : md.cpuCores();
    int gpus = md == null || md.gpuCount() == null ? 0 : md.gpuCount();
    Set<String> types = r.jobTypes() == null ? Set.of() : Set.copyOf(r.jobTypes());
    Set<String> shell = md == null || md.shellCommands() == null ? null : Set.copyOf(md.shellCommands());
    return new WorkerProfile(r.workerId(), Set.copyOf(r.capabilities()), memory, cores, gpus, r.maxConcurrency(),
        types, r.http(), shell);
  }
}
