package dev.ferry.example;

import dev.ferry.example.redis.FollowingRedis;
import dev.ferry.example.redis.MarathonTasks;
import dev.ferry.example.todo.TodoRoutes;
import dev.ferry.example.todo.TodoStore;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's TodoMVC app: the Todo-Backend API and its page, storing todos in the Redis that
 * Ferry runs as the StatefulApp {@code todos-db} and moves between nodes.
 */
public final class TodoMain extends AbstractVerticle {

  private static final Logger LOG = LoggerFactory.getLogger(TodoMain.class);

  private final ExampleConfig config;

  TodoMain(ExampleConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    ExampleConfig config;
    try {
      config = ExampleConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("todos: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new TodoMain(config)).onFailure(e -> {
      LOG.error("todos could not start: {}", e.getMessage());
      vertx.close().onComplete(x -> System.exit(1));
    });
  }

  @Override
  public void start(Promise<Void> started) {
    MarathonTasks tasks = new MarathonTasks(vertx.createHttpClient(), config.marathon(), config.marathonCredentials(),
        config.databaseApp());
    FollowingRedis redis = new FollowingRedis(vertx,
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000).setTcpKeepAlive(true)),
        tasks, config.databaseDeadline());
    vertx.createHttpServer().requestHandler(new TodoRoutes(new TodoStore(redis)).router(vertx))
        .listen(config.port(), config.host())
        .onSuccess(s -> LOG.info("todos on http://{}:{}, database {} found through {}", config.host(), s.actualPort(),
            config.databaseApp(), config.marathon()))
        .<Void>mapEmpty().onComplete(started);
  }
}
