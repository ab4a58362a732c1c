package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far a migration got.
 *
 * @param rounds the finished transfers so far, the full copy first
 * @param transfer the round asked for or under way, if any
 * @param bytesTransferred the sum over all rounds
 * @param downtime from the start of Quiesce to the app's task being healthy on the target
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MigrationStatus(
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration,
    MigrationPhase phase,
    List<TransferRound> rounds,
    Transfer transfer,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long bytesTransferred,
    Instant startTime,
    Instant quiesceTime,
    Instant completionTime,
    Duration downtime,
    String message,
    List<Condition> conditions) {

  public static final MigrationStatus EMPTY =
      new MigrationStatus(0, MigrationPhase.Pending, List.of(), null, 0, null, null, null, null, "", List.of());

  public MigrationStatus {
    phase = phase == null ? MigrationPhase.Pending : phase;
    rounds = rounds == null ? List.of() : List.copyOf(rounds);
    message = message == null ? "" : message;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public Optional<Transfer> currentTransfer() {
    return Optional.ofNullable(transfer);
  }

  /** This status with {@code newTransfer} as the round asked for or under way. */
  public MigrationStatus withTransfer(Transfer newTransfer) {
    return new MigrationStatus(observedGeneration, phase, rounds, newTransfer, bytesTransferred, startTime,
        quiesceTime, completionTime, downtime, message, conditions);
  }
}
