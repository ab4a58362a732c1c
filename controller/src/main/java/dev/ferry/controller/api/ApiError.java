package dev.ferry.controller.api;

import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.Failures;
import dev.ferry.api.store.FencedException;
import dev.ferry.api.store.HistoryCompactedException;
import dev.ferry.api.store.NotFoundException;
import dev.ferry.api.store.StoreException;
import dev.ferry.api.validation.FieldError;
import dev.ferry.controller.admission.AdmissionException;
import java.util.List;

/**
 * The body of every error the API answers, shaped like a Kubernetes Status:
 * {@code {"code":422,"reason":"Invalid","message":"...","details":[{"field":"spec.x","message":"..."}]}}.
 * {@code reason} is one word for programs (BadRequest, Unauthorized, Forbidden, NotFound,
 * Conflict, AlreadyExists, Gone, PayloadTooLarge, Invalid, InternalError, Unavailable).
 */
public record ApiError(int code, String reason, String message, List<FieldError> details) {

  public ApiError {
    details = List.copyOf(details);
  }

  public static ApiError of(int code, String reason, String message) {
    return new ApiError(code, reason, message, List.of());
  }

  public static ApiError badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  public static ApiError unauthorized(String message) {
    return of(401, "Unauthorized", message);
  }

  public static ApiError forbidden(String message) {
    return of(403, "Forbidden", message);
  }

  public static ApiError notFound(String message) {
    return of(404, "NotFound", message);
  }

  public static ApiError tooLarge(long limit) {
    return of(413, "PayloadTooLarge", "the request body is larger than " + limit
        + " bytes (1 MiB): split the manifest or make it smaller");
  }

  /** The error a failure stands for; anything unexpected is a 500 that says no more than it must. */
  public static ApiError from(Throwable failure) {
    Throwable e = Failures.cause(failure);
    if (e instanceof AdmissionException a) {
      return switch (a.problem()) {
        case MALFORMED -> new ApiError(400, "BadRequest", a.getMessage(), a.errors());
        case INVALID -> new ApiError(422, "Invalid", a.getMessage(), a.errors());
        case IN_USE -> new ApiError(409, "Conflict", a.getMessage(), a.errors());
        case FORBIDDEN -> new ApiError(403, "Forbidden", a.getMessage(), a.errors());
      };
    }
    if (e instanceof NotFoundException) {
      return notFound(e.getMessage());
    }
    if (e instanceof AlreadyExistsException) {
      return of(409, "AlreadyExists", e.getMessage());
    }
    if (e instanceof ConflictException) {
      return of(409, "Conflict", e.getMessage());
    }
    if (e instanceof HistoryCompactedException) {
      return of(410, "Gone", e.getMessage());
    }
    if (e instanceof FencedException || e instanceof StoreException) {
      return of(503, "Unavailable", "the object store is unavailable: " + e.getMessage());
    }
    if (e instanceof IllegalStateException) {
      return of(503, "Unavailable", e.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return badRequest(e.getMessage());
    }
    return of(500, "InternalError", "internal error (" + e.getClass().getSimpleName() + "); see the controller's log");
  }
}
