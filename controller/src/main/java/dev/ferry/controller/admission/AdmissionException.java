package dev.ferry.controller.admission;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValidationException;
import java.util.List;

/**
 * A write refused before anything was written: {@link Problem#MALFORMED} when it is not a
 * readable manifest at all (syntax, size, aliases, depth, duplicate keys; HTTP 400),
 * {@link Problem#INVALID} when it is a manifest that breaks the kind's rules or writes what the
 * controller owns (HTTP 422), {@link Problem#IN_USE} when it would delete what another object
 * still uses (HTTP 409).
 */
public final class AdmissionException extends RuntimeException {

  /** Which of the ways the write is wrong. */
  public enum Problem { MALFORMED, INVALID, IN_USE, FORBIDDEN }

  private final Problem problem;
  private final List<FieldError> errors;

  public AdmissionException(Problem problem, String message, List<FieldError> errors) {
    super(message);
    this.problem = problem;
    this.errors = List.copyOf(errors);
  }

  static AdmissionException of(Problem problem, ValidationException e) {
    return new AdmissionException(problem, e.getMessage(), e.errors());
  }

  public static AdmissionException malformed(String field, String message) {
    return new AdmissionException(Problem.MALFORMED, message, List.of(new FieldError(field, message)));
  }

  /** A delete refused while another object uses the target; {@code message} names that object. */
  public static AdmissionException inUse(String message) {
    return new AdmissionException(Problem.IN_USE, message, List.of());
  }

  /** A create past its kind's {@link ObjectQuotas quota} (403, as Kubernetes' ResourceQuota). */
  public static AdmissionException overQuota(String message) {
    return new AdmissionException(Problem.FORBIDDEN, message, List.of(new FieldError("kind", message)));
  }

  /** A write the writer's role does not allow; {@code e} names each field and why. */
  public static AdmissionException forbidden(ValidationException e) {
    return of(Problem.FORBIDDEN, e);
  }

  public static AdmissionException invalid(String subject, FieldError error) {
    return of(Problem.INVALID, ValidationException.of(subject, error));
  }

  public Problem problem() {
    return problem;
  }

  /** Every problem, each naming its field. */
  public List<FieldError> errors() {
    return errors;
  }
}
