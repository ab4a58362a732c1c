package dev.ferry.agent.migration;

import dev.ferry.api.model.Snapshot;
import dev.ferry.api.transfer.TransferPlanner;
import dev.ferry.api.transfer.TransferStep;
import java.util.List;
import java.util.Optional;

/**
 * What the source does for one requested round, from its snapshots, the target's and the base
 * the controller's ticket allows. Pure, so every case is a test row.
 *
 * <p>The ticket decides the base: the receiver admits only a stream from the ticket's base, and
 * rolls its copy back to it when it has moved past. So any snapshot both sides hold will do; the
 * {@link TransferPlanner}'s view only explains a refusal.
 */
public sealed interface RoundPlan {

  /** Stream {@code snapshot}, incremental from {@code base} or full when it is empty. */
  record Send(Optional<Snapshot> base, Snapshot snapshot) implements RoundPlan {}

  /**
   * The target lists {@code snapshot} (an earlier attempt got through): nothing to send, once the
   * target's signed receipt confirms it holds it (the sender asks for one).
   */
  record AlreadyThere(Snapshot snapshot) implements RoundPlan {}

  /** This round cannot be sent as asked; {@code reason} says why and what would fit. */
  record Refuse(String reason) implements RoundPlan {}

  /**
   * @param source the source's snapshots, oldest first
   * @param snapshot the round's snapshot name, which the source holds
   * @param target the target's snapshots, or empty when it has no copy
   * @param ticketBaseGuid the base the ticket allows, empty for a full stream
   */
  static RoundPlan decide(List<Snapshot> source, String snapshot, Optional<List<Snapshot>> target,
      String ticketBaseGuid) {
    Optional<Snapshot> goal = source.stream().filter(s -> s.name().equals(snapshot)).findFirst();
    if (goal.isEmpty()) {
      return new Refuse("the source has no snapshot " + snapshot);
    }
    if (target.isPresent() && target.get().stream().anyMatch(s -> s.guid().equals(goal.get().guid()))) {
      return new AlreadyThere(goal.get());
    }
    if (ticketBaseGuid.isEmpty()) {
      return target.isEmpty() ? new Send(Optional.empty(), goal.get())
          : new Refuse("the target already has a copy, and the ticket is for a full stream that would overwrite it;"
              + " " + advice(source, target.get(), goal.get()));
    }
    if (target.isEmpty()) {
      return new Refuse("the target has no copy, and the ticket is for an incremental stream from guid "
          + ticketBaseGuid + "; request a full stream");
    }
    List<Snapshot> upToGoal = source.subList(0, source.indexOf(goal.get()) + 1);
    Optional<Snapshot> base = upToGoal.stream().filter(s -> s.guid().equals(ticketBaseGuid)).findFirst();
    boolean targetHasBase = target.get().stream().anyMatch(s -> s.guid().equals(ticketBaseGuid));
    if (base.isEmpty() || base.get().equals(goal.get()) || !targetHasBase) {
      return new Refuse("the ticket's base guid " + ticketBaseGuid + " is not a snapshot before " + snapshot
          + " that both nodes hold; " + advice(upToGoal, target.get(), goal.get()));
    }
    return new Send(base, goal.get());
  }

  private static String advice(List<Snapshot> source, List<Snapshot> target, Snapshot goal) {
    TransferStep step = TransferPlanner.plan(source.subList(0, source.indexOf(goal) + 1), Optional.of(target));
    if (step instanceof TransferStep.Diverged d) {
      return d.reason();
    }
    return TransferPlanner.newestCommon(source, target)
        .map(s -> "the newest snapshot both hold is " + s.name() + " (guid " + s.guid() + ")")
        .orElse("the copies share no snapshot");
  }
}
