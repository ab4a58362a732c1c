package dev.ferry.api.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * One etcd client and what hangs off it, shared by a store and its fenced views: the pool that
 * runs callers' continuations and watch listeners (so that they never run on, or block, jetcd's
 * threads), the open watches, closed with the connection, and the values it saw last.
 */
final class Connection implements AutoCloseable {

  final Client client;
  /** How long one request may take (EtcdConfig.requestTimeout). */
  final Duration requestTimeout;
  final Set<Subscription> watches = ConcurrentHashMap.newKeySet();
  /** What this connection last saw of each key, so that an update need not read it again. */
  final RecentValues recent = new RecentValues(10_000);
  private final ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());

  private Connection(Client client, Duration requestTimeout) {
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Where callbacks run. Once the connection is closed, the little that still completes (a
   * request in flight, a late jetcd callback) runs where it completes rather than being lost.
   */
  void execute(Runnable task) {
    try {
      pool.execute(task);
    } catch (RejectedExecutionException closed) {
      task.run();
    }
  }

  static Connection open(EtcdConfig config) {
    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints().toArray(URI[]::new))
        .connectTimeout(config.connectTimeout());
    config.credentials().ifPresent(c -> builder.user(bytes(c.user())).password(bytes(c.password())));
    config.tls().ifPresent(tls -> {
      try {
        builder.sslContext(ssl -> {
          ssl.trustManager(tls.caFile().toFile());
          tls.clientCert().ifPresent(cert ->
              ssl.keyManager(cert.certFile().toFile(), cert.keyFile().toFile()));
        });
      } catch (SSLException e) {
        throw new StoreException("cannot set up TLS for etcd with CA " + tls.caFile(), e);
      }
    });
    return new Connection(builder.build(), config.requestTimeout());
  }

  @Override
  public void close() {
    watches.forEach(Subscription::close);
    client.close();
    pool.shutdown();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "ferry-store-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
