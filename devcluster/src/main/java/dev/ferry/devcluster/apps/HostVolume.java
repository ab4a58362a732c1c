package dev.ferry.devcluster.apps;

/** A {@code container.volumes[]} entry with a {@code hostPath}: shown inside the sandbox at {@code containerPath}. */
public record HostVolume(String containerPath, String hostPath) {}
