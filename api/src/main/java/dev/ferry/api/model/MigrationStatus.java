package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

  /** The last finished round, if any. */
  public Optional<TransferRound> lastRound() {
    return rounds.isEmpty() ? Optional.empty() : Optional.of(rounds.get(rounds.size() - 1));
  }

  public MigrationStatus withPhase(MigrationPhase newPhase, String newMessage) {
    return new MigrationStatus(observedGeneration, newPhase, rounds, transfer, bytesTransferred, startTime, quiesceTime,
        completionTime, downtime, newMessage, conditions);
  }

  public MigrationStatus withTransfer(Transfer newTransfer) {
    return new MigrationStatus(observedGeneration, phase, rounds, newTransfer, bytesTransferred, startTime, quiesceTime,
        completionTime, downtime, message, conditions);
  }

  /** This status with {@code round} appended and its bytes counted. */
  public MigrationStatus withRound(TransferRound round) {
    List<TransferRound> more = new ArrayList<>(rounds);
    more.add(round);
    return new MigrationStatus(observedGeneration, phase, more, transfer, bytesTransferred + round.bytes(), startTime,
        quiesceTime, completionTime, downtime, message, conditions);
  }

  public MigrationStatus started(Instant when) {
    return new MigrationStatus(observedGeneration, phase, rounds, transfer, bytesTransferred, when, quiesceTime,
        completionTime, downtime, message, conditions);
  }

  public MigrationStatus quiesced(Instant when) {
    return new MigrationStatus(observedGeneration, phase, rounds, transfer, bytesTransferred, startTime, when,
        completionTime, downtime, message, conditions);
  }

  /** The final status: the end phase, when it ended, and the downtime if the app was stopped. */
  public MigrationStatus finished(MigrationPhase end, Instant when, Duration measuredDowntime, String why) {
    return new MigrationStatus(observedGeneration, end, rounds, transfer, bytesTransferred, startTime, quiesceTime, when,
        measuredDowntime, why, conditions);
  }
}
