package dev.ferry.controller.gitops;

/** A repository could not be fetched or read; the message is what the GitSource's lastError says. */
final class GitException extends RuntimeException {

  GitException(String message) {
    super(message);
  }

  GitException(String message, Throwable cause) {
    super(message, cause);
  }
}
