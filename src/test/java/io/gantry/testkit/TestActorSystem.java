package io.gantry.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A bare ActorSystem (no Gantry node) under an {@link ActorTestKit}, for tests of the persistence plugins, the lease or
 * serialization: its config is made from a Redis key prefix of its own ({@link RedisPrefix#random}), chosen when this
 * is built and deleted on the test Redis when the system stops. As a JUnit 5 extension it starts before and stops
 * after the class (static field) or each test (instance field):
 * <pre>{@code @RegisterExtension static final TestActorSystem pekko = TestActorSystem.of("X", RedisTestSupport::config);}</pre>
 */
public final class TestActorSystem extends ClassOrTestScoped {
  private final String name;
  private final String prefix;
  private final Function<String, Config> config;
  private ActorTestKit testKit;

  private TestActorSystem(String name, Function<String, Config> config) {
    this.name = name;
    this.prefix = RedisPrefix.random(name);
    this.config = config;
  }

  /** A system named {@code name}, configured by {@code config} from its key prefix. */
  public static TestActorSystem of(String name, Function<String, Config> config) {
    return new TestActorSystem(name, config);
  }

  /**
   * A system named {@code name} with a local provider on Gantry's own config (serialization bindings, no cluster, no
   * port), for actors and parts a test wires by hand with probes.
   */
  public static TestActorSystem local(String name) {
    return new TestActorSystem(name,
        prefix -> ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  }

  public String prefix() {
    return prefix;
  }

  public ActorTestKit testKit() {
    if (testKit == null) {
      throw new IllegalStateException(name + " is not started: register it with @RegisterExtension");
    }
    return testKit;
  }

  public ActorSystem<Void> system() {
    return testKit().system();
  }

  /** The same system as a classic one, for the classic persistence and TestKit APIs. */
  public org.apache.pekko.actor.ActorSystem classic() {
    return Adapter.toClassic(system());
  }

  private void start() {
    testKit = ActorTestKit.create(name, config.apply(prefix));
  }

  private void stop() {
    if (testKit != null) {
      testKit.shutdownTestKit();
      testKit = null;
      RedisPrefix.deleteKeys(TestRedisUrl.get(), prefix);
    }
  }

  @Override
  void open(ExtensionContext context) {
    start();
  }

  @Override
  void release() {
    stop();
  }
}
