package dev.ferry.agent.dataset;

import dev.ferry.agent.zfs.DatasetState;

/**
 * This node's copy of a dataset as the agent found it.
 *
 * @param state what ZFS says of it
 * @param showsIdentity whether it is mounted and the mount shows the identity marker the Dataset
 *     records ({@code status.identity}): only then does the mountpoint show the dataset, and not
 *     a bare directory or another filesystem. While the Dataset records none yet, whether it is
 *     mounted (the agent then adopts the copy's marker, or writes one)
 */
public record LocalCopy(DatasetState state, boolean showsIdentity) {}
