package io.gantry.node;

import static io.gantry.node.NodeOptionsTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's shell policy from options, environment and config, and what its registration says of it. */
class ShellOptionsTest {

  @Test
  void shellRunsAnyCommandByDefault() {
    var config = parse(Map.of()).config();
    assertTrue(config.getBoolean("gantry.worker.shell.enabled"));
    assertNull(WorkerNode.shellCommands(config), "no shellCommands in the registration: any command");
  }

  @Test
  void theEnvironmentOrTheOptionsTurnShellOffOrNarrowIt() {
    var off = parse(Map.of("GANTRY_SHELL", "off")).config();
    assertFalse(off.getBoolean("gantry.worker.shell.enabled"));
    assertEquals(List.of(), WorkerNode.shellCommands(off), "shell off registers an empty list");

    var env = parse(Map.of("GANTRY_SHELL_COMMANDS", "echo, /usr/lib/../bin/python3")).config();
    assertEquals(List.of("/usr/bin/python3", "echo"), WorkerNode.shellCommands(env), "canonical and sorted");

    var option = parse(Map.of("GANTRY_SHELL_COMMANDS", "rm"), "--shell-commands", "echo,true").config();
    assertEquals(List.of("echo", "true"), WorkerNode.shellCommands(option), "the option wins");
    assertFalse(parse(Map.of(), "--shell", "off").config().getBoolean("gantry.worker.shell.enabled"));
  }

  @Test
  void badShellSettingsAreRefusedAtStart() {
    IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--shell-commands", "echo,./deploy.sh"));
    assertTrue(relative.getMessage().contains("gantry.worker.shell.allowed-commands")
        && relative.getMessage().contains("'./deploy.sh'"), relative.getMessage());
    IllegalArgumentException notABoolean = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--shell", "maybe"));
    assertTrue(notABoolean.getMessage().contains("--shell"), notABoolean.getMessage());
  }
}
