package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A Mesos agent as its Ferry node agent registered it. Written by the agent under an etcd lease: it disappears when the agent dies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Node(String apiVersion, String kind, ObjectMeta metadata, NodeSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) NodeStatus status)
    implements FerryObject<Node, NodeSpec, NodeStatus> {

  public static final String KIND = "Node";

  public Node {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? NodeStatus.EMPTY : status;
  }

  public Node(ObjectMeta metadata, NodeSpec spec) {
    this(API_VERSION, KIND, metadata, spec, NodeStatus.EMPTY);
  }

  @Override
  public Node withMetadata(ObjectMeta m) {
    return new Node(apiVersion, kind, m, spec, status);
  }

  @Override
  public Node withSpec(NodeSpec s) {
    return new Node(apiVersion, kind, metadata, s, status);
  }

  @Override
  public Node withStatus(NodeStatus s) {
    return new Node(apiVersion, kind, metadata, spec, s);
  }
}
