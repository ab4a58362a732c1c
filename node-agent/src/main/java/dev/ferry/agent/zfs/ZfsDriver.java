package dev.ferry.agent.zfs;

import dev.ferry.api.model.Snapshot;
import dev.ferry.api.validation.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ferry's datasets on one node, over the {@code zfs} and {@code zpool} commands.
 *
 * <p>Uses only what both zfs-fuse 0.7 and OpenZFS support: exact numbers come from {@code zfs
 * get -H -p} (zfs-fuse has no {@code zfs list -p}), snapshots are identified by {@code guid},
 * receives are always {@code -u}, and an optional feature is used only when {@link
 * ZfsFeatures} found it. Every name is a {@link DatasetName} or a checked label, so nothing a
 * user wrote can become an option or a path of another dataset.
 *
 * <p>Every method blocks until its command finishes (send and receive return a running process
 * instead): call them from a worker thread. Failures are {@link ZfsException}s classified by
 * their {@link ZfsException.Reason}. The methods that establish a state (create aside) are
 * idempotent: doing them twice is the same as once.
 */
public final class ZfsDriver {

  /** Ferry's record of the readonly setting (see {@link #setReadonly}). */
  static final String READONLY_PROPERTY = "ferry:readonly";
  private static final int BUSY_RETRIES = 3;
  /** What {@link #state} reads. */
  private static final String[] STATE_PROPERTIES =
      {"used", "available", "refquota", "mounted", "readonly", "mountpoint", READONLY_PROPERTY};
  /** What {@link #snapshots} reads of each snapshot. */
  private static final String SNAPSHOT_PROPERTIES = "guid,creation,createtxg";

  private final ZfsLayout layout;
  private final ZfsCli cli;
  private final ZfsFeatures features;

  public ZfsDriver(ZfsLayout layout, ZfsCli cli, ZfsFeatures features) {
    this.layout = layout;
    this.cli = cli;
    this.features = features;
  }

  /** A driver for {@code layout} with the features the installed {@code zfs} offers. */
  public static ZfsDriver detect(ZfsLayout layout, ZfsCli cli) {
    return new ZfsDriver(layout, cli, ZfsFeatures.fromUsage(cli.zfsUsage()));
  }

  public ZfsLayout layout() {
    return layout;
  }

  public ZfsFeatures features() {
    return features;
  }

  /**
   * Creates {@code <pool>/ferry} (not mounted) when it is missing, with {@code setuid=off} and
   * {@code devices=off}: every copy under it, created or received (Ferry's streams carry no
   * properties), inherits them, so on OpenZFS a copy another node sent is mounted
   * {@code nosuid,nodev} and a planted setuid binary or device node in the app's data gives
   * nothing on this node. zfs-fuse takes the properties but does not enforce them
   * (docs/security.md).
   */
  public void ensureRoot() {
    if (!filesystemExists(layout.root())) {
      try {
        cli.zfs("create", "-o", "mountpoint=none", "-o", "setuid=off", "-o", "devices=off", layout.root());
      } catch (ZfsException e) {
        if (e.reason() != ZfsException.Reason.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Creates a writable dataset with a refquota, mounted at its place under the dataset root. Like
   * every copy, it is {@code canmount=noauto}: only {@link #mount} mounts it.
   *
   * @param refquotaBytes the most data the live filesystem may hold; positive
   * @throws ZfsException {@code ALREADY_EXISTS} when it exists; any failure of the mount (the
   *     mountpoint directory is not empty) after the dataset was created
   */
  public void create(DatasetName dataset, long refquotaBytes) {
    if (refquotaBytes <= 0) {
      throw new IllegalArgumentException("refquota must be positive, got " + refquotaBytes);
    }
    ensureRoot();
    // atime=off: any copy may later receive a stream, and a read that updates atime counts as a
    // modification that makes zfs-fuse refuse the next incremental.
    cli.zfs("create",
        "-o", "refquota=" + refquotaBytes,
        "-o", "atime=off",
        "-o", "canmount=noauto",
        "-o", "mountpoint=" + layout.mountpoint(dataset),
        layout.filesystem(dataset));
    mount(dataset);
  }

  public boolean exists(DatasetName dataset) {
    return filesystemExists(layout.filesystem(dataset));
  }

  /**
   * Destroys the dataset and all its snapshots; nothing happens when it does not exist.
   *
   * @throws ZfsException {@code BUSY} when a snapshot is held or the filesystem is in use
   */
  public void destroy(DatasetName dataset) {
    if (!exists(dataset)) {
      return;
    }
    // zfs-fuse often refuses to destroy a mounted filesystem as busy; unmounting first does not.
    unmount(dataset);
    try {
      retryWhileBusy(() -> cli.zfs("destroy", "-r", layout.filesystem(dataset)));
    } catch (ZfsException e) {
      if (e.reason() != ZfsException.Reason.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Takes a snapshot named {@code snapshot} and returns it with its guid. */
  public Snapshot snapshot(DatasetName dataset, String snapshot) {
    String full = layout.snapshot(dataset, snapshot);
    cli.zfs("snapshot", full);
    return readSnapshot(dataset, full);
  }

  /**
   * The dataset's snapshots, oldest first (by creation transaction, which orders them even
   * within one second).
   *
   * @throws ZfsException {@code NOT_FOUND} when the dataset does not exist
   */
  public List<Snapshot> snapshots(DatasetName dataset) {
    String filesystem = layout.filesystem(dataset);
    // zfs-fuse's `zfs get` has no -t; -d 1 lists the filesystem and its snapshots.
    return snapshotsIn(filesystem, byName(cli.zfs("get", "-H", "-p", "-r", "-d", "1", "-o", "name,property,value",
        SNAPSHOT_PROPERTIES, filesystem)));
  }

  /**
   * The copy's state and snapshots in one command, or empty when the dataset does not exist:
   * {@link #stateIfExists} and {@link #snapshots} for one process launch, for the steps that need
   * both while the app is down (a cut-over's round, the receive, making a copy the primary).
   */
  public Optional<CopyState> stateAndSnapshots(DatasetName dataset) {
    String filesystem = layout.filesystem(dataset);
    Map<String, Map<String, String>> byName;
    try {
      byName = byName(cli.zfs("get", "-H", "-p", "-r", "-d", "1", "-o", "name,property,value",
          SNAPSHOT_PROPERTIES + "," + String.join(",", STATE_PROPERTIES), filesystem));
    } catch (ZfsException e) {
      if (e.reason() == ZfsException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> own = byName.getOrDefault(filesystem, Map.of());
    for (String property : STATE_PROPERTIES) {
      if (!own.containsKey(property)) {
        throw new ZfsException(ZfsException.Reason.FAILED, "zfs get gave no " + property + " for " + filesystem);
      }
    }
    return Optional.of(new CopyState(toState(own), snapshotsIn(filesystem, byName)));
  }

  /** {@code zfs get -H -o name,property,value} output by name, then property. */
  private static Map<String, Map<String, String>> byName(String out) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3) {
        byName.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2]);
      }
    }
    return byName;
  }

  /** The snapshots of {@code filesystem} among {@code byName}, oldest first (by creation transaction). */
  private static List<Snapshot> snapshotsIn(String filesystem, Map<String, Map<String, String>> byName) {
    List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>(byName.entrySet());
    entries.removeIf(e -> !e.getKey().startsWith(filesystem + "@"));
    entries.sort(Comparator.comparingLong(e -> Long.parseLong(e.getValue().get("createtxg"))));
    List<Snapshot> snapshots = new ArrayList<>(entries.size());
    for (Map.Entry<String, Map<String, String>> e : entries) {
      snapshots.add(toSnapshot(e.getKey(), e.getValue()));
    }
    return List.copyOf(snapshots);
  }

  /** The data a snapshot refers to: about the size of a full stream of it. */
  public long referencedBytes(DatasetName dataset, String snapshot) {
    return parseBytes(get(layout.snapshot(dataset, snapshot), "referenced").get("referenced"));
  }

  /** Destroys one snapshot; nothing happens when it does not exist. */
  public void destroySnapshot(DatasetName dataset, String snapshot) {
    try {
      cli.zfs("destroy", layout.snapshot(dataset, snapshot));
    } catch (ZfsException e) {
      if (e.reason() != ZfsException.Reason.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Places a user hold {@code tag} on a snapshot; holding it again with the same tag is a no-op. */
  public void hold(DatasetName dataset, String snapshot, String tag) {
    hold(dataset, List.of(snapshot), tag);
  }

  /**
   * Places a user hold {@code tag} on each of {@code snapshots} in one command; a snapshot that has
   * it already is left as it is. zfs goes on past a snapshot that has the tag and fails in the
   * end, so the command's failure is ignored only when every line of it says so.
   */
  public void hold(DatasetName dataset, List<String> snapshots, String tag) {
    if (snapshots.isEmpty()) {
      return;
    }
    try {
      cli.zfs(withSnapshots(List.of("hold", DatasetName.requireLabel("hold tag", tag)), dataset, snapshots));
    } catch (ZfsException e) {
      boolean onlyHeldAlready = e.reason() == ZfsException.Reason.ALREADY_EXISTS
          && e.getMessage().lines().filter(l -> !l.isBlank()).allMatch(l -> l.contains("tag already exists"));
      if (!onlyHeldAlready) {
        throw e;
      }
    }
  }

  /**
   * Releases the hold {@code tag}; releasing a tag that is not there, or on a snapshot that is not
   * there, is a no-op.
   */
  public void release(DatasetName dataset, String snapshot, String tag) {
    try {
      cli.zfs("release", DatasetName.requireLabel("hold tag", tag), layout.snapshot(dataset, snapshot));
    } catch (ZfsException e) {
      if (e.reason() != ZfsException.Reason.NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Releases the hold {@code tag} on each of {@code snapshots} in one command; when that fails
   * (one of them lacks the tag, or is gone), releases them one at a time as {@link #release} does.
   */
  public void release(DatasetName dataset, List<String> snapshots, String tag) {
    if (snapshots.size() == 1) {
      release(dataset, snapshots.get(0), tag);
      return;
    }
    if (snapshots.isEmpty()) {
      return;
    }
    try {
      cli.zfs(withSnapshots(List.of("release", DatasetName.requireLabel("hold tag", tag)), dataset, snapshots));
    } catch (ZfsException e) {
      snapshots.forEach(snapshot -> release(dataset, snapshot, tag));
    }
  }

  private String[] withSnapshots(List<String> head, DatasetName dataset, List<String> snapshots) {
    List<String> args = new ArrayList<>(head);
    snapshots.forEach(snapshot -> args.add(layout.snapshot(dataset, snapshot)));
    return args.toArray(String[]::new);
  }

  /** How many user holds the snapshot has ({@code userrefs}: zfs-fuse's {@code zfs holds} is broken). */
  public int holdCount(DatasetName dataset, String snapshot) {
    return Integer.parseInt(get(layout.snapshot(dataset, snapshot), "userrefs").get("userrefs"));
  }

  /**
   * The names of the dataset's snapshots that carry at least one user hold, whoever placed it
   * (read from {@code userrefs} in one command: zfs-fuse's {@code zfs holds} is broken).
   *
   * @throws ZfsException {@code NOT_FOUND} when the dataset does not exist
   */
  public Set<String> heldSnapshots(DatasetName dataset) {
    String filesystem = layout.filesystem(dataset);
    String out = cli.zfs("get", "-H", "-p", "-r", "-d", "1", "-o", "name,value", "userrefs", filesystem);
    Set<String> held = new TreeSet<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 2 && f[0].startsWith(filesystem + "@") && !f[1].equals("0") && !f[1].equals("-")) {
        held.add(f[0].substring(filesystem.length() + 1));
      }
    }
    return held;
  }

  /**
   * Rolls the dataset back to {@code snapshot}, destroying every later snapshot and every change
   * since ({@code zfs rollback -r}).
   */
  public void rollback(DatasetName dataset, String snapshot) {
    cli.zfs("rollback", "-r", layout.snapshot(dataset, snapshot));
  }

  /**
   * Sets {@code readonly}: on for a copy that is not the primary (the fence), off for the primary.
   * Takes effect at once, also on a mounted dataset.
   */
  public void setReadonly(DatasetName dataset, boolean readonly) {
    String value = readonly ? "on" : "off";
    cli.zfs("set", "readonly=" + value, layout.filesystem(dataset));
    // zfs-fuse reports a mounted dataset's readonly as the mount's "temporary" value, which stays
    // "off" after readonly=on although writes fail; this user property records the setting so
    // that state() can report it.
    cli.zfs("set", READONLY_PROPERTY + "=" + value, layout.filesystem(dataset));
  }

  public void setRefquota(DatasetName dataset, long refquotaBytes) {
    if (refquotaBytes <= 0) {
      throw new IllegalArgumentException("refquota must be positive, got " + refquotaBytes);
    }
    cli.zfs("set", "refquota=" + refquotaBytes, layout.filesystem(dataset));
  }

  /**
   * Makes a freshly received dataset a standby copy of this node ({@link #makeStandby}), with no
   * atime updates and its mountpoint at its place under the dataset root (a received stream
   * carries no properties).
   */
  public void adoptReceived(DatasetName dataset) {
    makeStandby(dataset);
    cli.zfs("set", "atime=off", layout.filesystem(dataset));
    placeMountpoint(dataset);
  }

  /**
   * Makes the copy a standby: read-only, {@code canmount=noauto} and unmounted. A standby is never
   * mounted: zfs-fuse keeps serving a mounted filesystem's cached view of files after a stream
   * changed them underneath, so a copy is mounted only when it becomes the primary.
   *
   * @throws ZfsException {@code BUSY} when it is mounted and in use
   */
  public void makeStandby(DatasetName dataset) {
    setReadonly(dataset, true);
    keepUnmounted(dataset);
    unmount(dataset);
  }

  /**
   * {@code canmount=noauto}: only {@link #mount} mounts the dataset, never a property change (a
   * new mountpoint) or zfs-fuse importing the pool at start-up behind the agent's back.
   */
  private void keepUnmounted(DatasetName dataset) {
    cli.zfs("set", "canmount=noauto", layout.filesystem(dataset));
  }

  /** The filesystem's own {@code guid} (decimal): another filesystem, even of the same name, has another. */
  public String guid(DatasetName dataset) {
    return get(layout.filesystem(dataset), "guid").get("guid");
  }

  /** Points the dataset's mountpoint at its place under the dataset root, if it is elsewhere. */
  public void placeMountpoint(DatasetName dataset) {
    placeMountpoint(dataset, state(dataset));
  }

  /**
   * {@link #placeMountpoint(DatasetName)}, {@code seen} being the copy's state as the caller just
   * read it: while the app is down for a cut-over, each zfs command is a process and a trip to the
   * daemon, so a state the caller holds is not read again.
   */
  public void placeMountpoint(DatasetName dataset, DatasetState seen) {
    String wanted = layout.mountpoint(dataset).toString();
    if (!seen.mountpoint().equals(Optional.of(wanted))) {
      cli.zfs("set", "mountpoint=" + wanted, layout.filesystem(dataset));
    }
  }

  /**
   * Mounts the dataset at its mountpoint; a mounted dataset stays as it is. Files in the
   * mountpoint directory are never removed or merged: zfs-fuse refuses to mount over them.
   *
   * @throws ZfsException with zfs's message ("directory is not empty") when it cannot mount
   */
  public void mount(DatasetName dataset) {
    mount(dataset, state(dataset));
  }

  /** {@link #mount(DatasetName)}, {@code seen} being the copy's state as the caller just read it. */
  public void mount(DatasetName dataset, DatasetState seen) {
    if (!seen.mounted()) {
      cli.zfs("mount", layout.filesystem(dataset));
    }
  }

  /** Unmounts the dataset; an unmounted one stays as it is. Fails {@code BUSY} while files are open. */
  public void unmount(DatasetName dataset) {
    if (state(dataset).mounted()) {
      retryWhileBusy(() -> cli.zfs("unmount", layout.filesystem(dataset)));
    }
  }

  /**
   * Runs a command again a few times while it fails {@code BUSY}: zfs-fuse reports a dataset busy
   * for a moment after it was mounted or written to. A dataset that stays busy (a process holds a
   * file open) still fails after well under a second.
   */
  private static void retryWhileBusy(Runnable command) {
    for (int attempt = 0; ; attempt++) {
      try {
        command.run();
        return;
      } catch (ZfsException e) {
        if (e.reason() != ZfsException.Reason.BUSY || attempt == BUSY_RETRIES) {
          throw e;
        }
      }
      try {
        Thread.sleep(100L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ZfsException(ZfsException.Reason.BUSY, "interrupted while waiting for a busy dataset");
      }
    }
  }

  /** The copy's state, or empty when the dataset does not exist: {@link #exists} and {@link #state} in one command. */
  public Optional<DatasetState> stateIfExists(DatasetName dataset) {
    try {
      return Optional.of(state(dataset));
    } catch (ZfsException e) {
      if (e.reason() == ZfsException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** @throws ZfsException {@code NOT_FOUND} when the dataset does not exist */
  public DatasetState state(DatasetName dataset) {
    return toState(get(layout.filesystem(dataset), STATE_PROPERTIES));
  }

  private static DatasetState toState(Map<String, String> p) {
    String readonly = p.get(READONLY_PROPERTY).equals("-") ? p.get("readonly") : p.get(READONLY_PROPERTY);
    String mountpoint = p.get("mountpoint");
    return new DatasetState(
        parseBytes(p.get("used")),
        parseBytes(p.get("available")),
        parseBytes(p.get("refquota")),
        "yes".equals(p.get("mounted")),
        "on".equals(readonly),
        mountpoint.startsWith("/") ? Optional.of(mountpoint) : Optional.empty());
  }

  /**
   * Every copy under the dataset root with its state and snapshots, in one {@code zfs get -r}
   * (one process launch however many datasets the node holds): what the agent's periodic look
   * reads, instead of a command per dataset. Empty when the root does not exist yet.
   */
  public Map<DatasetName, CopyListing> listCopies() {
    String root = layout.root();
    String out;
    try {
      out = cli.zfs("get", "-H", "-p", "-r", "-o", "name,property,value",
          "guid,used,available,mounted,readonly,createtxg," + READONLY_PROPERTY, root);
    } catch (ZfsException e) {
      if (e.reason() == ZfsException.Reason.NOT_FOUND) {
        return Map.of();
      }
      throw e;
    }
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].startsWith(root + "/")) {
        byName.computeIfAbsent(f[0].substring(root.length() + 1), k -> new LinkedHashMap<>()).put(f[1], f[2]);
      }
    }
    Map<String, List<Map.Entry<Long, String>>> snapshots = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
      int at = e.getKey().indexOf('@');
      if (at > 0) {
        snapshots.computeIfAbsent(e.getKey().substring(0, at), k -> new ArrayList<>())
            .add(Map.entry(Long.parseLong(e.getValue().get("createtxg")), e.getValue().get("guid")));
      }
    }
    Map<DatasetName, CopyListing> copies = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
      String name = e.getKey();
      if (name.contains("@") || !Names.isDnsLabel(name)) {
        continue;
      }
      Map<String, String> p = e.getValue();
      String readonly = p.getOrDefault(READONLY_PROPERTY, "-").equals("-") ? p.get("readonly") : p.get(READONLY_PROPERTY);
      List<Map.Entry<Long, String>> own = new ArrayList<>(snapshots.getOrDefault(name, List.of()));
      own.sort(Map.Entry.comparingByKey());
      copies.put(DatasetName.of(name), new CopyListing(p.get("guid"), new DatasetState(parseBytes(p.get("used")),
          parseBytes(p.get("available")), 0, "yes".equals(p.get("mounted")), "on".equals(readonly), Optional.empty()),
          own.stream().map(Map.Entry::getValue).toList()));
    }
    return copies;
  }

  /** How many {@code zfs} and {@code zpool} processes this driver has started. */
  public long launches() {
    return cli.launches();
  }

  /** The pool's usable size and free space (what its datasets can still use). */
  public PoolSpace poolSpace() {
    Map<String, String> p = get(layout.pool(), "used", "available");
    long used = parseBytes(p.get("used"));
    long available = parseBytes(p.get("available"));
    return new PoolSpace(used + available, available);
  }

  /**
   * Starts {@code zfs send [-i base] dataset@snapshot}; the caller reads the stream from the
   * returned process's {@link StreamingProcess#output()}.
   *
   * @param base the snapshot an incremental stream starts from, empty for a full stream
   */
  public StreamingProcess send(DatasetName dataset, Optional<String> base, String snapshot) {
    String to = layout.snapshot(dataset, snapshot);
    return base.isPresent()
        ? cli.zfsStreaming("send", "-i", layout.snapshot(dataset, base.get()), to)
        : cli.zfsStreaming("send", to);
  }

  /**
   * The size of the stream {@link #send} would produce, when this ZFS can tell beforehand
   * ({@code send -n -P}); empty on zfs-fuse.
   */
  public OptionalLong estimateSendSize(DatasetName dataset, Optional<String> base, String snapshot) {
    if (!features.sendEstimate()) {
      return OptionalLong.empty();
    }
    String to = layout.snapshot(dataset, snapshot);
    String out = base.isPresent()
        ? cli.zfs("send", "-n", "-P", "-i", layout.snapshot(dataset, base.get()), to)
        : cli.zfs("send", "-n", "-P", to);
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[0].equals("size")) {
        return OptionalLong.of(Long.parseLong(f[1]));
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Starts {@code zfs receive -u [-F] <pool>/ferry/<dataset>}; the caller writes the stream into
   * {@link StreamingProcess#input()} and then calls {@link StreamingProcess#awaitSuccess()}. A
   * copy that receives is never mounted: an existing one is unmounted first (zfs-fuse would go on
   * serving a mounted filesystem's stale view of the files the stream changes), and the receive
   * does not mount it ({@code -u}, which zfs-fuse honours although its usage text omits it). A new
   * one has no mountpoint until {@link #adoptReceived}.
   *
   * @param force {@code -F}: discard changes made on the target since its newest snapshot
   * @throws ZfsException {@code BUSY} when the existing copy is mounted and in use
   */
  public StreamingProcess receive(DatasetName dataset, boolean force) {
    return receive(dataset, force, stateIfExists(dataset));
  }

  /**
   * {@link #receive(DatasetName, boolean)}, {@code seen} being the copy's state as the caller just
   * read it ({@link #stateIfExists}), so that a receive while the app is down reads it once.
   */
  public StreamingProcess receive(DatasetName dataset, boolean force, Optional<DatasetState> seen) {
    if (seen.isEmpty()) {
      ensureRoot();
    } else if (seen.get().mounted()) {
      retryWhileBusy(() -> cli.zfs("unmount", layout.filesystem(dataset)));
    }
    // -s where the platform has it: an interrupted stream then leaves a resume token (ResumableStreams).
    return cli.zfsStreaming(ResumableStreams.receive(layout.filesystem(dataset), force, features.resumableReceive()));
  }

  /**
   * The dataset's {@code receive_resume_token}: empty when it has no partial receive, does not
   * exist, or the platform has no resumable receive (zfs-fuse: nothing is run).
   */
  public Optional<String> resumeToken(DatasetName dataset) {
    if (!features.resumableReceive()) {
      return Optional.empty();
    }
    try {
      String token = ResumableStreams.tokenValue(cli.zfs(ResumableStreams.resumeToken(layout.filesystem(dataset))));
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (ZfsException e) {
      if (e.reason() == ZfsException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Discards the dataset's partial receive ({@code zfs receive -A}); a partially received new dataset goes with it. */
  public void abortPartialReceive(DatasetName dataset) {
    cli.zfs(ResumableStreams.abort(layout.filesystem(dataset)));
  }

  /**
   * Continues the receive the dataset's resume token describes ({@code zfs receive -s -u}): the
   * caller writes the stream of {@link #sendResume} into it.
   */
  public StreamingProcess receiveResumed(DatasetName dataset) {
    return cli.zfsStreaming(ResumableStreams.receive(layout.filesystem(dataset), false, true));
  }

  /** Starts {@code zfs send -t token}: the rest of the stream a target's resume token describes. */
  public StreamingProcess sendResume(String token) {
    return cli.zfsStreaming(ResumableStreams.sendResume(token));
  }

  /** What a resume token resumes ({@code zfs send -n -v -t}), or empty when zfs cannot read it. */
  public Optional<ResumeToken> describeResumeToken(String token) {
    try {
      return ResumeToken.parse(cli.zfs(ResumableStreams.describe(token)));
    } catch (ZfsException e) {
      return Optional.empty();
    }
  }

  private Snapshot readSnapshot(DatasetName dataset, String full) {
    Map<String, String> p = get(full, "guid", "creation");
    return toSnapshot(full, p);
  }

  private static Snapshot toSnapshot(String full, Map<String, String> props) {
    String shortName = full.substring(full.indexOf('@') + 1);
    return new Snapshot(shortName, props.get("guid"), Instant.ofEpochSecond(Long.parseLong(props.get("creation"))));
  }

  private boolean filesystemExists(String filesystem) {
    try {
      cli.zfs("get", "-H", "-o", "value", "type", filesystem);
      return true;
    } catch (ZfsException e) {
      if (e.reason() == ZfsException.Reason.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Exact values of properties of one dataset or snapshot, by property name. */
  private Map<String, String> get(String target, String... properties) {
    String out = cli.zfs("get", "-H", "-p", "-o", "property,value", String.join(",", properties), target);
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 2) {
        values.put(f[0], f[1]);
      }
    }
    for (String property : properties) {
      if (!values.containsKey(property)) {
        throw new ZfsException(ZfsException.Reason.FAILED, "zfs get gave no " + property + " for " + target);
      }
    }
    return values;
  }

  /** {@code zfs get -p} prints "none" or "-" for an unset size. */
  private static long parseBytes(String value) {
    return value.equals("none") || value.equals("-") ? 0 : Long.parseLong(value);
  }
}
