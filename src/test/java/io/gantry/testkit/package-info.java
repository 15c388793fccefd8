/**
 * What the tests share to drive Gantry against a real Redis; use these rather than a copy of their own.
 *
 * <ul>
 *   <li>{@link io.gantry.testkit.RedisPrefix}: the one generator of key prefixes ({@code t:Name:1a2b3c4d:}); as a
 *       JUnit 5 extension it deletes its keys after the class or test.
 *   <li>{@link io.gantry.testkit.TestNode}: a Gantry node in this JVM (roles, api, token, Redis, HOCON), as an
 *       extension per class or per test, or by hand in a try block; {@link io.gantry.testkit.ProbeWorker} plays a
 *       worker on it.
 *   <li>{@link io.gantry.testkit.TestActorSystem}: a bare ActorSystem (no node) for plugin, lease or serialization
 *       tests, as an extension.
 *   <li>{@link io.gantry.testkit.NodeJvm}: a node in a JVM of its own for the multi-process tests (SIGKILL,
 *       SIGSTOP, network namespaces, restarts).
 *   <li>{@link io.gantry.testkit.TestHttpClient}: the one HTTP client of the tests, for any of the above;
 *       {@link io.gantry.testkit.GantryScript} runs {@code bin/gantry}; {@link io.gantry.testkit.Await} waits.
 * </ul>
 *
 * <p>Every test runs under Pekko's {@code LogCapturingExtension} (src/test/resources: junit-platform.properties,
 * META-INF/services, logback-test.xml): its log is printed only when it fails.
 */
package io.gantry.testkit;
