package dev.ferry.agent.transfer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A blocking {@link OutputStream} (a {@code zfs receive}'s input) as a Vert.x {@link
 * WriteStream}.
 *
 * <p>Writes are queued and one thread copies them out; the queue reports itself full at {@link
 * #setWriteQueueMaxSize} bytes, so a pipe into it pauses its source (the HTTP request, and with
 * it the sender's TCP window) instead of buffering the stream. Handlers run on the given context.
 */
final class OutputStreamWriteStream implements WriteStream<Buffer> {

  private static final Object END = new Object();

  private final Context context;
  private final OutputStream out;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Promise<Void> ended;
  private volatile int maxQueued = 1024 * 1024;
  private volatile boolean failed;
  private final AtomicBoolean drainWanted = new AtomicBoolean();
  private volatile Handler<Void> drainHandler;
  private volatile Handler<Throwable> exceptionHandler;

  private final LongConsumer counted;

  /** {@code counted} hears of each piece's size as it is written (from the writer thread). */
  OutputStreamWriteStream(Context context, OutputStream out, LongConsumer counted) {
    this.context = context;
    this.out = out;
    this.counted = counted;
    this.ended = Promise.promise();
    Thread writer = new Thread(this::writeAll, "stream-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Bytes written to the output so far. */
  long bytes() {
    return written.get();
  }

  private void writeAll() {
    try (out) {
      while (true) {
        Object item = queue.take();
        if (item == END) {
          break;
        }
        byte[] bytes = ((Buffer) item).getBytes();
        out.write(bytes);
        written.addAndGet(bytes.length);
        counted.accept(bytes.length);
        long now = queued.addAndGet(-bytes.length);
        if (now <= maxQueued / 2) {
          signalDrain();
        }
      }
      context.runOnContext(v -> ended.tryComplete());
    } catch (IOException e) {
      fail(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new IOException("interrupted"));
    }
  }

  private void fail(IOException e) {
    failed = true;
    queue.clear();
    queued.set(0);
    context.runOnContext(v -> {
      Handler<Throwable> h = exceptionHandler;
      if (h != null) {
        h.handle(e);
      }
      ended.tryFail(e);
    });
    // A pipe waiting for the queue to drain may not listen for exceptions: wake it, so that its
    // next write fails and the pipe with it.
    drainWanted.set(true);
    signalDrain();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failed) {
      return Future.failedFuture(new IOException("the receiving process stopped reading"));
    }
    queued.addAndGet(data.length());
    queue.add(data);
    return Future.succeededFuture();
  }

  /** Closes the output once everything queued is written; fails if writing failed. */
  @Override
  public Future<Void> end() {
    queue.add(END);
    return ended.future();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    this.maxQueued = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    boolean full = queued.get() >= maxQueued;
    if (full) {
      drainWanted.set(true);
      // The writer may have emptied the queue between the check and the flag: signal it then.
      if (queued.get() <= maxQueued / 2) {
        signalDrain();
      }
    }
    return full;
  }

  private void signalDrain() {
    if (drainWanted.compareAndSet(true, false)) {
      context.runOnContext(v -> {
        Handler<Void> h = drainHandler;
        if (h != null) {
          h.handle(null);
        }
      });
    }
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
