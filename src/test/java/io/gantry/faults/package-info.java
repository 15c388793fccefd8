/**
 * Multi-JVM fault tests of issue 7 that need special infrastructure, all tagged {@code slow}: each test starts its
 * own Gantry node JVMs ({@link io.gantry.testkit.NodeJvm}, {@code io.gantry.main.Main node --config FILE}) and, where it
 * kills Redis, its own redis-servers ({@link io.gantry.faults.LocalRedis}); nothing touches other processes.
 *
 * <ul>
 *   <li>{@link io.gantry.faults.PartitionTest}: scenario (5), a network partition in network namespaces
 *       ({@link io.gantry.faults.NetLab}; needs root and iproute2).</li>
 *   <li>{@link io.gantry.faults.SentinelFailoverTest}: scenario (10b), the Redis primary killed under Sentinel.</li>
 *   <li>{@link io.gantry.faults.MixedClusterTest}: scenarios (8) capability selection, (6) checkpoint resume after
 *       SIGKILL, (11) a node frozen with SIGSTOP past its downing and thawed.</li>
 *   <li>{@link io.gantry.faults.LockContentionTest}: scenario (7), 50 HTTP clients on one lock.</li>
 * </ul>
 *
 * <p>What "nothing recorded twice" means is checked in the journal itself ({@link io.gantry.faults.JournalAudit});
 * marked shell jobs ({@link io.gantry.faults.Runs#shellJob}) show which attempts ran their work to the end.
 * Run: {@code mvn -B -o test '-Dtest=io.gantry.faults.**'} (add {@code -Dgantry.faults.keep=true} to keep the
 * node logs under /tmp/gantry-*).
 */
package io.gantry.faults;
