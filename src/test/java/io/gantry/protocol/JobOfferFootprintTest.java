package io.gantry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.gantry.dag.Dag;
import io.gantry.dag.DagParser;
import io.gantry.dag.JobDefinition;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a queued job keeps that every other queued job would keep too (issue 9: under 1 KiB of heap per queued job
 * at 100,000 queued): an offer or a job definition without capabilities, config or dependencies holds the shared
 * empty list and no empty JSON objects, interned type and pool names, and shared empty dependency arrays; what
 * they answer, and what goes on the wire, is unchanged.
 */
class JobOfferFootprintTest {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private static JobOffer bare(List<String> capabilities, JsonNode config, ObjectNode dependencyOutputs) {
    return new JobOffer("e:a:1", "e", "a", "noop", 5, capabilities, null, null, "default", 0, config,
        dependencyOutputs, 1, null, 42);
  }

  @Test
  void anOfferThatNeedsNothingKeepsNoObjectsOfItsOwn() throws Exception {
    JobOffer offer = bare(new ArrayList<>(), JsonNodeFactory.instance.objectNode(),
        JsonNodeFactory.instance.objectNode());
    assertSame(List.of(), offer.requiredCapabilities());
    assertNull(stored(offer, "config"));
    assertNull(stored(offer, "dependencyOutputs"));
    assertEquals(JsonNodeFactory.instance.objectNode(), offer.config());
    assertEquals(JsonNodeFactory.instance.objectNode(), offer.dependencyOutputs());

    JobOffer back = CBOR.readValue(CBOR.writeValueAsBytes(offer), JobOffer.class);
    assertEquals(offer, back);
    assertTrue(CBOR.readTree(CBOR.writeValueAsBytes(offer)).get("dependencyOutputs").isObject(),
        "workers still receive an empty object");
  }

  @Test
  void anOfferWithContentKeepsIt() throws Exception {
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("ms", 5);
    ObjectNode outputs = JsonNodeFactory.instance.objectNode();
    outputs.set("up", JsonNodeFactory.instance.objectNode().put("x", 1));
    JobOffer offer = bare(List.of("gpu"), config, outputs);
    assertEquals(List.of("gpu"), offer.requiredCapabilities());
    assertSame(config, offer.config());
    assertSame(outputs, offer.dependencyOutputs());
    assertEquals(offer, CBOR.readValue(CBOR.writeValueAsBytes(offer), JobOffer.class));
  }

  @Test
  void jobsOfABulkShareTheirEmptyParts() throws Exception {
    Dag dag = Dag.of(DagParser.parse("{\"workflowId\":\"w\",\"jobs\":[{\"id\":\"a\",\"type\":\"noop\"},"
        + "{\"id\":\"b\",\"type\":\"noop\"},{\"id\":\"c\",\"type\":\"noop\",\"dependsOn\":[\"a\"],"
        + "\"config\":{\"ms\":1}}]}"));
    JobDefinition a = dag.job("a");
    JobDefinition b = dag.job("b");
    assertSame(a.type(), b.type(), "one string per type, not per job");
    assertSame("noop", a.type());
    assertSame(a.pool(), b.pool());
    assertNull(stored(a, "config"));
    assertEquals(JsonNodeFactory.instance.objectNode(), a.config());
    assertEquals(1, dag.job("c").config().get("ms").asInt());
    // Dag hands out copies; what it keeps is its graph's arrays.
    int[][] dependencies = (int[][]) stored(stored(dag, "graph"), "dependencies");
    int[][] dependents = (int[][]) stored(stored(dag, "graph"), "dependents");
    assertSame(dependencies[a.index()], dependencies[b.index()], "one empty array for all");
    assertSame(dependents[b.index()], dependents[dag.job("c").index()]);
    assertEquals(1, dag.dependents(a.index()).length);
    assertEquals(0, dag.dependencies(b.index()).length);
  }

  private static Object stored(Object record, String field) throws Exception {
    Field f = record.getClass().getDeclaredField(field);
    f.setAccessible(true);
    return f.get(record);
  }
}
