package dev.ferry.api.model;

/**
 * How a StatefulApp's data moves when its placement changes.
 *
 * @param strategy PreCopy (default) keeps the app running during the bulk copy; StopAndCopy
 *     stops it first
 * @param maxFinalDelta cut over once a pre-copy round sends at most this much
 * @param maxRounds at most this many pre-copy rounds before cutting over anyway
 * @param deadlineSeconds how long a move may take to reach its Switch while its rounds fail
 *     (see {@link MigrationSpec}); 0 in a manifest means {@link #DEFAULT_DEADLINE_SECONDS}
 */
public record MigrationPolicy(MigrationStrategy strategy, Quantity maxFinalDelta, int maxRounds,
    int deadlineSeconds) {

  public static final Quantity DEFAULT_MAX_FINAL_DELTA = Quantity.mebibytes(64);
  public static final int DEFAULT_MAX_ROUNDS = 10;
  /** Ten minutes: a network path that is down longer than that is not a blip worth waiting for. */
  public static final int DEFAULT_DEADLINE_SECONDS = 600;
  public static final MigrationPolicy DEFAULT = new MigrationPolicy(MigrationStrategy.PreCopy, DEFAULT_MAX_FINAL_DELTA,
      DEFAULT_MAX_ROUNDS, DEFAULT_DEADLINE_SECONDS);

  public MigrationPolicy {
    strategy = strategy == null ? MigrationStrategy.PreCopy : strategy;
    maxFinalDelta = maxFinalDelta == null ? DEFAULT_MAX_FINAL_DELTA : maxFinalDelta;
    maxRounds = maxRounds == 0 ? DEFAULT_MAX_ROUNDS : maxRounds;
    deadlineSeconds = deadlineSeconds == 0 ? DEFAULT_DEADLINE_SECONDS : deadlineSeconds;
  }

  /** A policy with the default deadline. */
  public MigrationPolicy(MigrationStrategy strategy, Quantity maxFinalDelta, int maxRounds) {
    this(strategy, maxFinalDelta, maxRounds, 0);
  }
}
