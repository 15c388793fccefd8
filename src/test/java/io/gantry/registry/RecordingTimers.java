package io.gantry.registry;

import io.gantry.protocol.RegistryProtocol.Command;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Timers that only record what is armed (single timers by key), so a test fires them itself. */
final class RecordingTimers implements TimerScheduler<Command> {
  record Armed(Command message, Duration delay) {}

  final Map<Object, Armed> single = new HashMap<>();

  @Override
  public void startSingleTimer(Object key, Command msg, Duration delay) {
    single.put(key, new Armed(msg, delay));
  }

  @Override
  public boolean isTimerActive(Object key) {
    return single.containsKey(key);
  }

  @Override
  public void cancel(Object key) {
    single.remove(key);
  }

  @Override
  public void cancelAll() {
    single.clear();
  }

  @Override
  public void startTimerWithFixedDelay(Object key, Command msg, Duration delay) {}

  @Override
  public void startTimerWithFixedDelay(Object key, Command msg, Duration initialDelay, Duration delay) {}

  @Override
  public void startTimerAtFixedRate(Object key, Command msg, Duration interval) {}

  @Override
  public void startTimerAtFixedRate(Object key, Command msg, Duration initialDelay, Duration interval) {}

  @Override
  public void startPeriodicTimer(Object key, Command msg, Duration interval) {}
}
