package dev.ferry.example.todo;

import io.vertx.core.json.JsonObject;

/**
 * One todo, as the store keeps it. Its {@code url} is not stored: it depends on the address the
 * browser used, so {@link #toJson(String)} adds it per request.
 */
public record Todo(long id, String title, boolean completed, long order) {

  /** Todo-Backend's representation: {@code id, title, completed, order, url}. */
  public JsonObject toJson(String todosUrl) {
    return stored().put("url", todosUrl + "/" + id);
  }

  /** What the store keeps: everything but the url. */
  JsonObject stored() {
    return new JsonObject().put("id", id).put("title", title).put("completed", completed).put("order", order);
  }

  static Todo fromStored(String json) {
    JsonObject o = new JsonObject(json);
    return new Todo(o.getLong("id"), o.getString("title"), o.getBoolean("completed", false), o.getLong("order", 0L));
  }

  /** This todo with the fields the change names; the others stay. */
  Todo with(TodoChange change) {
    return new Todo(id, change.title().orElse(title), change.completed().orElse(completed), change.order().orElse(order));
  }
}
