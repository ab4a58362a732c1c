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
 */
public record MigrationSpec(
    String statefulApp,
    String dataset,
    String from,
    String to,
    MigrationStrategy strategy,
    Quantity maxFinalDelta,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxRounds) {

  public MigrationSpec {
    dataset = dataset == null ? "" : dataset;
    from = from == null ? "" : from;
    strategy = strategy == null ? MigrationStrategy.PreCopy : strategy;
    maxFinalDelta = maxFinalDelta == null ? MigrationPolicy.DEFAULT_MAX_FINAL_DELTA : maxFinalDelta;
    maxRounds = maxRounds == 0 ? MigrationPolicy.DEFAULT_MAX_ROUNDS : maxRounds;
  }
}
