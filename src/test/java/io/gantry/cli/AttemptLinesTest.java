package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What of an attempt's final logs tail {@code logs --follow} still prints after the lines it printed live. */
class AttemptLinesTest {

  @Test
  void theFinalTailAddsOnlyTheLinesAfterThoseSentLive() {
    AttemptLines lines = new AttemptLines();
    assertEquals("a\nb\n", lines.live("a\nb\n"));
    assertEquals("c\n", lines.live("c\n"));
    assertEquals("d\ne\n", lines.unprinted("a\nb\nc\nd\ne\n"));
    assertEquals("", lines.unprinted("a\nb\nc\nd\ne\n"), "an attempt's end prints once");
  }

  @Test
  void aTailThatLostItsHeadStillAlignsAndNothingLiveMeansAllOfIt() {
    AttemptLines cut = new AttemptLines();
    cut.live("1\n2\n3\n4\n");
    assertEquals("5\n", cut.unprinted("3\n4\n5\n"));
    assertEquals("x\ny\n", new AttemptLines().unprinted("x\ny\n"));
    AttemptLines allDone = new AttemptLines();
    allDone.live("x\ny\n");
    assertEquals("", allDone.unprinted("x\ny\n"));
  }

  @Test
  void linesNotSentLiveAreNoPartOfTheAlignment() {
    AttemptLines lines = new AttemptLines();
    lines.live("p\nq\n");
    lines.live("[gantry: 40 lines not sent live: more than the live limit]\nr\ns\n");
    assertEquals("t\n", lines.unprinted("q\nmany\nr\ns\nt\n"));
  }

  @Test
  void whenTheTailHoldsNoneOfThePrintedLinesAllOfItIsNew() {
    AttemptLines lines = new AttemptLines();
    lines.live("early\n");
    assertEquals("late 1\nlate 2\n", lines.unprinted("late 1\nlate 2\n"));
  }
}
