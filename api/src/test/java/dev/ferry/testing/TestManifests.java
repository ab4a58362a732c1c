package dev.ferry.testing;

/** Manifests that several modules' tests apply, written once. */
public final class TestManifests {

  private TestManifests() {}

  /**
   * A StatefulApp running Redis on a 1Gi dataset, placed by {@code disk}.
   *
   * @param labels a YAML flow mapping, e.g. {@code {}} or {@code {app: todomvc}}
   */
  public static String redisApp(String name, String labels, String disk) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata:
          name: %s
          labels: %s
        spec:
          app: {cmd: redis-server, instances: 1}
          dataset: {name: %s-data, size: 1Gi, mountPath: /data}
          placement:
            constraints: [[disk, LIKE, %s]]
        """.formatted(name, labels, name, disk);
  }
}
