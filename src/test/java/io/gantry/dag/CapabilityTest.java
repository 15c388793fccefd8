package io.gantry.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapabilityTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void wireNamesMapBothWays() {
    for (Capability capability : Capability.values()) {
      assertEquals(Optional.of(capability), Capability.fromWire(capability.wireName()));
    }
    assertEquals("high-memory", Capability.HIGH_MEMORY.wireName());
    assertEquals(Optional.empty(), Capability.fromWire("HIGH_MEMORY"));
    assertEquals(Optional.empty(), Capability.fromWire(null));
  }

  @Test
  void jacksonUsesTheWireNames() throws Exception {
    assertEquals("\"high-memory\"", mapper.writeValueAsString(Capability.HIGH_MEMORY));
    assertEquals(Capability.SSD, mapper.readValue("\"ssd\"", Capability.class));
    assertThrows(ValueInstantiationException.class, () -> mapper.readValue("\"tpu\"", Capability.class));
  }
}
