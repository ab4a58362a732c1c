package dev.ferry.e2e.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The demo's Redis StatefulApp ({@code manifests/todomvc/db.yaml}: appendonly, appendfsync always), for moving on purpose. */
public final class RedisManifest {

  private RedisManifest() {}

  /**
   * The demo's Redis, unchanged but for its name, labels, its dataset (of {@code quota}, with
   * {@code reclaimPolicy}) and a placement that both nodes satisfy, so that the Migrations a
   * benchmark or a fault test asks for are allowed and nothing moves the app back by itself.
   */
  public static String of(Path home, String name, Map<String, String> labels, String dataset, Quantity quota,
      String reclaimPolicy) throws IOException {
    ObjectNode m = (ObjectNode) Json.yaml().readTree(home.resolve("manifests/todomvc/db.yaml").toFile());
    ObjectNode meta = ((ObjectNode) m.path("metadata")).put("name", name);
    ObjectNode labelNode = meta.putObject("labels");
    labels.forEach(labelNode::put);
    ObjectNode spec = (ObjectNode) m.path("spec");
    spec.putObject("dataset").put("name", dataset).put("size", quota.text()).put("mountPath", "/data")
        .put("reclaimPolicy", reclaimPolicy);
    ArrayNode both = spec.putObject("placement").putArray("constraints").addArray();
    both.add("disk").add("LIKE").add("spinning|ssd");
    return Json.json().writeValueAsString(m);
  }
}
