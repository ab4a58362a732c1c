package dev.ferry.example.todo;

import dev.ferry.example.redis.FollowingRedis;
import dev.ferry.example.redis.RespReply;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The todos in Redis: a hash {@value #TODOS} from id to the todo's JSON, and a counter
 * {@value #NEXT_ID}. Every write is one command that can be sent twice with the same outcome
 * (HSET of a whole value, HDEL, DEL), so the client may retry it after a lost connection; a
 * retried INCR only skips an id.
 */
public final class TodoStore {

  static final String TODOS = "todos";
  static final String NEXT_ID = "todos:next-id";

  private final FollowingRedis redis;

  public TodoStore(FollowingRedis redis) {
    this.redis = redis;
  }

  /** All todos, by order then id. */
  public Future<List<Todo>> list() {
    return redis.send("HGETALL", TODOS).compose(reply -> array(reply).map(items -> {
      List<Todo> todos = new ArrayList<>();
      for (int i = 1; i < items.size(); i += 2) {
        todos.add(Todo.fromStored(text(items.get(i))));
      }
      todos.sort(Comparator.comparingLong(Todo::order).thenComparingLong(Todo::id));
      return todos;
    }));
  }

  public Future<Optional<Todo>> get(long id) {
    return redis.send("HGET", TODOS, Long.toString(id)).compose(TodoStore::bulk)
        .map(json -> json.map(Todo::fromStored));
  }

  /** Creates a todo from a change that has a title; its order defaults to its id. */
  public Future<Todo> create(TodoChange change) {
    return redis.send("INCR", NEXT_ID).compose(TodoStore::integer).compose(id -> {
      Todo todo = new Todo(id, change.title().orElse(""), change.completed().orElse(false), change.order().orElse(id));
      return put(todo);
    });
  }

  /** Applies a change to an existing todo; empty if there is none with this id. */
  public Future<Optional<Todo>> update(long id, TodoChange change) {
    return get(id).compose(found -> found.isEmpty()
        ? Future.succeededFuture(Optional.<Todo>empty())
        : put(found.get().with(change)).map(Optional::of));
  }

  /** Whether there was such a todo. */
  public Future<Boolean> delete(long id) {
    return redis.send("HDEL", TODOS, Long.toString(id)).compose(TodoStore::integer).map(n -> n > 0);
  }

  public Future<Void> clear() {
    return redis.send("DEL", TODOS).compose(TodoStore::integer).mapEmpty();
  }

  private Future<Todo> put(Todo todo) {
    return redis.send("HSET", TODOS, Long.toString(todo.id()), todo.stored().encode())
        .compose(TodoStore::integer).map(n -> todo);
  }

  private static Future<Long> integer(RespReply reply) {
    return reply instanceof RespReply.Integer n ? Future.succeededFuture(n.value()) : unexpected(reply);
  }

  private static Future<Optional<String>> bulk(RespReply reply) {
    return reply instanceof RespReply.Bulk b ? Future.succeededFuture(b.value()) : unexpected(reply);
  }

  private static Future<List<RespReply>> array(RespReply reply) {
    return reply instanceof RespReply.Array a ? Future.succeededFuture(a.items()) : unexpected(reply);
  }

  private static String text(RespReply reply) {
    if (reply instanceof RespReply.Bulk b && b.value().isPresent()) {
      return b.value().get();
    }
    throw new IllegalStateException("Redis sent " + reply + " where a todo was expected");
  }

  private static <T> Future<T> unexpected(RespReply reply) {
    String why = reply instanceof RespReply.Error e ? "Redis refused: " + e.message() : "unexpected reply from Redis: " + reply;
    return Future.failedFuture(new IOException(why));
  }
}
