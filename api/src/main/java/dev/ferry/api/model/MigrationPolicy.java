package dev.ferry.api.model;

/**
 * How a StatefulApp's data moves when its placement changes.
 *
 * @param strategy PreCopy (default) keeps the app running during the bulk copy; StopAndCopy
 *     stops it first
 * @param maxFinalDelta cut over once a pre-copy round sends at most this much
 * @param maxRounds at most this many pre-copy rounds before cutting over anyway
 */
public record MigrationPolicy(MigrationStrategy strategy, Quantity maxFinalDelta, int maxRounds) {

  public static final Quantity DEFAULT_MAX_FINAL_DELTA = Quantity.mebibytes(64);
  public static final int DEFAULT_MAX_ROUNDS = 10;
  public static final MigrationPolicy DEFAULT =
      new MigrationPolicy(MigrationStrategy.PreCopy, DEFAULT_MAX_FINAL_DELTA, DEFAULT_MAX_ROUNDS);

  public MigrationPolicy {
    strategy = strategy == null ? MigrationStrategy.PreCopy : strategy;
    maxFinalDelta = maxFinalDelta == null ? DEFAULT_MAX_FINAL_DELTA : maxFinalDelta;
    maxRounds = maxRounds == 0 ? DEFAULT_MAX_ROUNDS : maxRounds;
  }
}
