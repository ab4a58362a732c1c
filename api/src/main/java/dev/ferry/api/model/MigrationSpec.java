package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One requested move.
 *
 * @param statefulApp the app whose dataset moves
 * @param dataset the dataset that moves; empty in a user's manifest that leaves it to the API
 *     server, which fills it in from the app
 * @param from the node that holds the primary copy when the move starts; empty as
 *     {@code dataset}
 * @param to the node the dataset moves to
 * @param deadlineSeconds how long after its start the migration may go on retrying failed rounds
 *     before Switch: a round that fails once this has passed (or is waiting for its retry) ends
 *     it {@code RolledBack} with the failure's reason. A round that runs is never cut short, and
 *     from Switch on the migration only goes forward. 0 means
 *     {@link MigrationPolicy#DEFAULT_DEADLINE_SECONDS}
 */
public record MigrationSpec(
    String statefulApp,
    String dataset,
    String from,
    String to,
    MigrationStrategy strategy,
    Quantity maxFinalDelta,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxRounds,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int deadlineSeconds) {

  public MigrationSpec {
    dataset = dataset == null ? "" : dataset;
    from = from == null ? "" : from;
    strategy = strategy == null ? MigrationStrategy.PreCopy : strategy;
    maxFinalDelta = maxFinalDelta == null ? MigrationPolicy.DEFAULT_MAX_FINAL_DELTA : maxFinalDelta;
    maxRounds = maxRounds == 0 ? MigrationPolicy.DEFAULT_MAX_ROUNDS : maxRounds;
    deadlineSeconds = deadlineSeconds == 0 ? MigrationPolicy.DEFAULT_DEADLINE_SECONDS : deadlineSeconds;
  }

  /** A migration with the default deadline. */
  public MigrationSpec(String statefulApp, String dataset, String from, String to, MigrationStrategy strategy,
      Quantity maxFinalDelta, int maxRounds) {
    this(statefulApp, dataset, from, to, strategy, maxFinalDelta, maxRounds, 0);
  }

  /** How long the migration may retry failed rounds before Switch, counted from its start. */
  public java.time.Duration deadline() {
    return java.time.Duration.ofSeconds(deadlineSeconds);
  }
}
