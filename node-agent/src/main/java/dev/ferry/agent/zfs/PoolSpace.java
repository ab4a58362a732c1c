package dev.ferry.agent.zfs;

/** A pool's usable size and free space in bytes, as a Node reports them. */
public record PoolSpace(long sizeBytes, long freeBytes) {}
