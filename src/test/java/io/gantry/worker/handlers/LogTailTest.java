package io.gantry.worker.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTailTest {

  @Test
  void keepsTheLastLinesWithinTheByteBudget() {
    LogTail tail = new LogTail(12);
    for (String line : List.of("one", "two", "three", "four")) {
      tail.add(line);
    }
    assertEquals("three\nfour\n", tail.toString());
  }

  @Test
  void aLineLongerThanTheBudgetKeepsItsEnd() {
    LogTail tail = new LogTail(5);
    tail.add("before");
    tail.add("abcdefgh");
    assertEquals("efgh\n", tail.toString());
  }

  @Test
  void countsUtf8Bytes() {
    LogTail tail = new LogTail(8);
    tail.add("a");
    tail.add("ééé");
    assertEquals("ééé\n", tail.toString());
  }

  @Test
  void lineReaderSplitsOnNewlinesAndCapsLineLength() {
    List<String> lines = new ArrayList<>();
    String text = "a\r\nb\n\n" + "x".repeat(10) + "\nlast";
    LineReader.forEachLine(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 4, lines::add);
    assertEquals(List.of("a", "b", "", "xxxx", "xxxx", "xx", "last"), lines);
  }
}
