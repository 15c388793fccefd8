package io.gantry.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.protocol.ExecutionPage;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Listing pages follow their cursor through executions created in the same millisecond, as a bulk creates them:
 * more of them than one read of the index holds, every one listed once.
 */
class IndexPagingTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();

  @Test
  void everyExecutionOfOneMillisecondIsListedOnceAcrossPages() {
    ExecutionIndex index = ExecutionIndex.of(node.system());
    long at = System.currentTimeMillis();
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 700; i++) {
      String id = String.format("same-ms-%04d", i);
      ids.add(id);
      writes.add(index.recordSubmitted(id, "paging", 1, at).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    for (int limit : new int[] {1, 50, 200}) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        ExecutionPage page = Await.result(index.list("paging", null, limit, cursor));
        page.items().forEach(e -> seen.add(e.executionId()));
        cursor = page.nextCursor();
        pages++;
      } while (cursor != null && pages < 2000);
      assertEquals(ids.size(), seen.size(), "listed with limit " + limit + " in " + pages + " pages");
      assertEquals(ids, new HashSet<>(seen), "limit " + limit);
    }
  }
}
