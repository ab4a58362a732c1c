package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far a migration got.
 *
 * @param rounds the finished transfers so far, the full copy first
 * @param transfer the round asked for or under way, if any
 * @param bytesTransferred the sum over all rounds
 * @param downtime from the start of Quiesce to the app's task being healthy on the target
 * @param phaseTimes when the migration entered each phase it went through: the phase split of a
 *     move, and the clock of the deadlines that depend on a phase (the Start deadline)
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
    List<Condition> conditions,
    Map<MigrationPhase, Instant> phaseTimes) {

  public static final MigrationStatus EMPTY =
      new MigrationStatus(0, MigrationPhase.Pending, List.of(), null, 0, null, null, null, null, "", List.of(), Map.of());

  public MigrationStatus {
    phase = phase == null ? MigrationPhase.Pending : phase;
    rounds = rounds == null ? List.of() : List.copyOf(rounds);
    message = message == null ? "" : message;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    // EnumMap: phases in their order, whatever order the JSON had.
    phaseTimes = phaseTimes == null || phaseTimes.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(phaseTimes));
  }

  /** When the migration entered {@code p}, if it did. */
  public Optional<Instant> entered(MigrationPhase p) {
    return Optional.ofNullable(phaseTimes.get(p));
  }

  /** This status in {@code newPhase} from {@code when} on. */
  public MigrationStatus withPhase(MigrationPhase newPhase, String newMessage, Instant when) {
    Map<MigrationPhase, Instant> times = new EnumMap<>(MigrationPhase.class);
    times.putAll(phaseTimes);
    times.putIfAbsent(newPhase, when);
    return new MigrationStatus(observedGeneration, newPhase, rounds, transfer, bytesTransferred, startTime, quiesceTime,
        completionTime, downtime, newMessage, conditions, times);
  }

  public Optional<Transfer> currentTransfer() {
    return Optional.ofNullable(transfer);
  }

  /** The last finished round, if any. */
  public Optional<TransferRound> lastRound() {
    return rounds.isEmpty() ? Optional.empty() : Optional.of(rounds.get(rounds.size() - 1));
  }

  public MigrationStatus withTransfer(Transfer newTransfer) {
    return new MigrationStatus(observedGeneration, phase, rounds, newTransfer, bytesTransferred, startTime, quiesceTime,
        completionTime, downtime, message, conditions, phaseTimes);
  }

  /** This status with {@code round} appended and its bytes counted. */
  public MigrationStatus withRound(TransferRound round) {
    List<TransferRound> more = new ArrayList<>(rounds);
    more.add(round);
    return new MigrationStatus(observedGeneration, phase, more, transfer, bytesTransferred + round.bytes(), startTime,
        quiesceTime, completionTime, downtime, message, conditions, phaseTimes);
  }

  /** This status with {@code changed} merged into its conditions ({@link Conditions#replace}). */
  public MigrationStatus withConditions(List<Condition> changed, Instant when) {
    return new MigrationStatus(observedGeneration, phase, rounds, transfer, bytesTransferred, startTime, quiesceTime,
        completionTime, downtime, message, Conditions.replace(conditions, changed, when), phaseTimes);
  }

  public MigrationStatus started(Instant when) {
    return new MigrationStatus(observedGeneration, phase, rounds, transfer, bytesTransferred, when, quiesceTime,
        completionTime, downtime, message, conditions, phaseTimes);
  }

  public MigrationStatus quiesced(Instant when) {
    return new MigrationStatus(observedGeneration, phase, rounds, transfer, bytesTransferred, startTime, when,
        completionTime, downtime, message, conditions, phaseTimes);
  }

  /** The final status: the end phase, when it ended, and the downtime if the app was stopped. */
  public MigrationStatus finished(MigrationPhase end, Instant when, Duration measuredDowntime, String why) {
    Map<MigrationPhase, Instant> times = new EnumMap<>(MigrationPhase.class);
    times.putAll(phaseTimes);
    times.putIfAbsent(end, when);
    return new MigrationStatus(observedGeneration, end, rounds, transfer, bytesTransferred, startTime, quiesceTime, when,
        measuredDowntime, why, conditions, times);
  }
}
