package dev.ferry.agent.dataset;

/**
 * What the agent does to its copy of one dataset, as {@link CopyPlan} decides it. Build them with
 * the static factories.
 */
public sealed interface CopyAction {

  /** The dataset is primary here and has no copy: create it writable with this refquota, mounted. */
  record Create(long refquotaBytes) implements CopyAction {}

  /**
   * The dataset is primary here, has no copy here, and existed: it is lost, and never re-created
   * empty in its place; {@code why} says how the agent knows it existed.
   */
  record Lost(String why) implements CopyAction {}

  /** This node is the primary: make the copy mounted, writable, with this refquota. */
  record MakePrimary(long refquotaBytes) implements CopyAction {}

  /** Another node is the primary: make this copy read-only and unmounted. */
  record MakeStandby() implements CopyAction {}

  /** The Dataset was deleted and asked for its data to go with it. */
  record Destroy() implements CopyAction {}

  /** The copy is as it should be, or is not this agent's to change now; {@code why} says which. */
  record Leave(String why) implements CopyAction {}

  static CopyAction create(long refquotaBytes) {
    return new Create(refquotaBytes);
  }

  static CopyAction lost(String why) {
    return new Lost(why);
  }

  static CopyAction makePrimary(long refquotaBytes) {
    return new MakePrimary(refquotaBytes);
  }

  static CopyAction makeStandby() {
    return new MakeStandby();
  }

  static CopyAction destroy() {
    return new Destroy();
  }

  static CopyAction leave(String why) {
    return new Leave(why);
  }
}
