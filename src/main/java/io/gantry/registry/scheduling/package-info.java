/**
 * The matching engine of a worker pool: {@link io.gantry.registry.scheduling.PoolScheduler}.
 *
 * <p>How it stays O(log n) per offer, release and assignment with 100,000 queued attempts and
 * 1,000 workers:
 *
 * <ul>
 *   <li>Attempts with equal requirements and job type form a requirement class, matched against
 *       the workers once ({@code RequirementKey}, {@code RequirementClass}).
 *   <li>Each class keeps one ordered set per base priority ({@code Bucket}). Aging preserves the
 *       order inside a base priority, so the globally most urgent attempt is the best of at most ten
 *       heads in the {@code UrgencyIndex}, which holds only classes that have a free worker.
 *   <li>Each class keeps its capable workers with a free slot ordered by (utilization, running,
 *       id); a slot change re-sorts the worker in the sets of its own classes only
 *       ({@code WorkerPool}).
 *   <li>Attempts sharing a concurrency key compete through the oldest of each bucket's group
 *       ({@code KeyGroup}); while the key is held the group is parked, and a release wakes one entry
 *       per group ({@code AttemptQueue}).
 * </ul>
 */
package io.gantry.registry.scheduling;
