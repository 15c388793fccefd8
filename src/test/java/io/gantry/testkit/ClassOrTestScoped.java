package io.gantry.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for something a test uses: registered in a static field it is opened before the class and
 * released after it; in an instance field, opened before and released after each test (JUnit calls only the
 * each-callbacks of an instance field's extension).
 */
abstract class ClassOrTestScoped implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  private boolean perClass;

  /** Opens it for the class or test of {@code context}. */
  abstract void open(ExtensionContext context);

  abstract void release();

  @Override
  public final void beforeAll(ExtensionContext context) {
    perClass = true;
    open(context);
  }

  @Override
  public final void afterAll(ExtensionContext context) {
    release();
  }

  @Override
  public final void beforeEach(ExtensionContext context) {
    if (!perClass) {
      open(context);
    }
  }

  @Override
  public final void afterEach(ExtensionContext context) {
    if (!perClass) {
      release();
    }
  }
}
