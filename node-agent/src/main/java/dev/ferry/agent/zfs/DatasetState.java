package dev.ferry.agent.zfs;

import java.util.Optional;

/**
 * A dataset's space and mount state as ZFS reports it, in exact bytes.
 *
 * @param usedBytes space used by the dataset and its snapshots
 * @param availableBytes space the dataset can still use (bounded by its refquota and the pool)
 * @param refquotaBytes the refquota, 0 when none is set
 * @param mountpoint the mountpoint property, empty when it is {@code none} or {@code legacy}
 */
public record DatasetState(
    long usedBytes,
    long availableBytes,
    long refquotaBytes,
    boolean mounted,
    boolean readonly,
    Optional<String> mountpoint) {}
