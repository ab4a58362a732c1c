package dev.ferry.e2e.fault;

import java.util.List;

/**
 * What one move under one fault came to, as a user would check it.
 *
 * @param fault what was done ({@link Fault#describe()})
 * @param phase the Migration's phase the fault was injected in
 * @param migration the Migration's name
 * @param outcome the Migration's final phase as the API reports it (Succeeded, RolledBack, Failed)
 * @param message the Migration's status message
 * @param primary the Dataset's primary node afterwards
 * @param writesAcked writes Redis acknowledged from the move's start until it served again
 * @param writesLost acknowledged writes (of the whole load so far) missing or wrong when read back
 * @param twoWriters whether two live database processes held the dataset at any moment
 * @param recoverS seconds from the injection until the migration had ended and Redis acknowledged a write again
 * @param events the StatefulApp's and the Migration's events, "Reason: message"
 */
public record FaultRun(String fault, String phase, String migration, String outcome, String message, String primary,
    long writesAcked, long writesLost, boolean twoWriters, double recoverS, List<String> events) {

  public FaultRun {
    events = List.copyOf(events);
  }

  /** One line for a terminal table. */
  public String row() {
    return String.format("%-44s %-10s %-11s %7d %6d %-5s %7.1f", fault, phase, outcome, writesAcked, writesLost,
        twoWriters ? "YES" : "no", recoverS);
  }

  public static String header() {
    return String.format("%-44s %-10s %-11s %7s %6s %-5s %7s", "fault", "phase", "outcome", "acked", "lost", "2wr",
        "recover");
  }
}
