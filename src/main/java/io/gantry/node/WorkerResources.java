package io.gantry.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What this machine offers a worker: CPU cores, memory, GPUs (through nvidia-smi) and the capabilities they imply. */
record WorkerResources(int cpuCores, double memoryGB, int gpuCount, boolean ssd) {

  /** Detected once at start-up (it may run nvidia-smi, so never on an actor thread). */
  public static WorkerResources detect() {
    int cores = Runtime.getRuntime().availableProcessors();
    double memory = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024) * 10) / 10.0;
    }
    return new WorkerResources(cores, memory, countGpus(), hasSsd());
  }

  /** cpu and network always; gpu with a GPU; high-memory at 64 GB or more; ssd with a non-rotational disk. */
  public List<String> capabilities() {
    List<String> caps = new ArrayList<>(List.of("cpu", "network"));
    if (gpuCount > 0) {
      caps.add("gpu");
    }
    if (memoryGB >= 64) {
      caps.add("high-memory");
    }
    if (ssd) {
      caps.add("ssd");
    }
    return caps;
  }

  private static int countGpus() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 0;
      }
      if (p.exitValue() != 0) {
        return 0;
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return (int) out.lines().filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      return 0; // no nvidia-smi: no GPU
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static boolean hasSsd() {
    try (var blocks = Files.list(Path.of("/sys/block"))) {
      return blocks.anyMatch(b -> {
        Path rotational = b.resolve("queue/rotational");
        try {
          return !b.getFileName().toString().startsWith("loop") && Files.isReadable(rotational)
              && Files.readString(rotational).trim().equals("0");
        } catch (IOException e) {
          return false;
        }
      });
    } catch (IOException e) {
      return false;
    }
  }
}
