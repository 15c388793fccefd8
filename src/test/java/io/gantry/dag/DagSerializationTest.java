package io.gantry.dag;

import static io.gantry.dag.Documents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.junit.jupiter.api.Test;

/** A DagDocument is persisted inside events: it must come back equal from JSON and from CBOR. */
class DagSerializationTest {

  private static final DagDocument DOCUMENT = DagParser.parse(json("""
      {'workflowId':'train-resnet','executionId':'client:1','priority':6,
       'metadata':{'team':'vision','tags':['a','b'],'n':1.5,'big':12345678901234},
       'jobs':[
         {'id':'prep','type':'shell','config':{'command':['python3','prep.py'],'env':{'A':'1'}}},
         {'id':'train','type':'shell','dependsOn':['prep'],'priority':8,'maxRetries':0,
          'backoff':{'initialMs':10,'multiplier':1.5,'maxMs':100},'timeoutMs':3600000,
          'requiredCapabilities':['gpu','high-memory'],
          'requirements':{'minMemoryGB':16.5,'minCpuCores':4,'requireGpu':true,'minGpuCount':2},
          'concurrencyKey':'registry/main','pool':'gpu:a100','config':{'command':['train'],'nested':{'x':[1,null,true]}}},
         {'id':'eval','type':'noop','dependsOn':['train']}
       ]}"""));

  @Test
  void roundTripsThroughJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String written = mapper.writeValueAsString(DOCUMENT);
    assertEquals(DOCUMENT, mapper.readValue(written, DagDocument.class));
    assertFalse(written.contains("null,\"") || written.contains(":null"), "absent fields are left out: " + written);
  }

  @Test
  void writtenJsonParsesBackThroughTheStrictParser() throws Exception {
    assertEquals(DOCUMENT, DagParser.parse(new ObjectMapper().writeValueAsString(DOCUMENT)));
  }

  @Test
  void roundTripsThroughCbor() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    byte[] written = cbor.writeValueAsBytes(DOCUMENT);
    assertEquals(DOCUMENT, cbor.readValue(written, DagDocument.class));
  }

  @Test
  void aMinimalDocumentRoundTripsWithItsNullsIntact() throws Exception {
    DagDocument minimal = DagParser.parse(json("{'workflowId':'w','jobs':[{'id':'a','type':'noop'}]}"));
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    assertEquals(minimal, cbor.readValue(cbor.writeValueAsBytes(minimal), DagDocument.class));
    assertEquals(minimal, new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(minimal), DagDocument.class));
  }

  @Test
  void withExecutionIdKeepsEverythingElse() {
    DagDocument other = DOCUMENT.withExecutionId("other");
    assertEquals("other", other.executionId());
    assertEquals(DOCUMENT, other.withExecutionId("client:1"));
  }
}
