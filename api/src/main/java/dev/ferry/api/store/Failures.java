package dev.ferry.api.store;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed future failed with. */
public final class Failures {

  private Failures() {}

  /**
   * The failure beneath the {@link CompletionException}s and {@link ExecutionException}s that
   * futures wrap it in: the {@link ConflictException} or {@link NotFoundException} to act on.
   */
  public static Throwable cause(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
