package dev.ferry.agent.transfer;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A blocking {@link InputStream} (a {@code zfs send}'s output) as a Vert.x {@link ReadStream}.
 *
 * <p>One thread reads chunks; at most {@link #MAX_CHUNKS} chunks are read but not yet taken by
 * the handler, so when the consumer pauses (the network is slower than the disk) the reader
 * blocks, the pipe fills, and {@code zfs send} waits: memory stays bounded whatever the stream's
 * size. Handlers run on the given context.
 *
 * <p>Each chunk read waits for its {@link Pace} before it is counted and passed on (a node's
 * {@link TransferCap}); the wait happens on the reader thread, so the event loop never blocks and
 * the pipe back-pressures {@code zfs send} meanwhile.
 *
 * <p>At the end of the input, {@code atEnd} runs on the reader thread before the end is
 * signalled; if it throws (the {@code zfs send} exited non-zero), the stream fails instead of
 * ending, so a truncated stream is never passed on as a complete one.
 */
final class InputStreamReadStream implements ReadStream<Buffer> {

  static final int CHUNK = 256 * 1024;
  static final int MAX_CHUNKS = 8;

  /** What a chunk waits for before it goes on; runs on the reader thread, where it may block. */
  @FunctionalInterface
  interface Pace {
    Pace NONE = bytes -> { };

    void admit(long bytes) throws InterruptedException;
  }

  private final Context context;
  private final InputStream in;
  private final Runnable atEnd;
  private final Semaphore unconsumed = new Semaphore(MAX_CHUNKS);
  private final AtomicLong bytes = new AtomicLong();

  // Only touched on the context.
  private final Deque<Buffer> pending = new ArrayDeque<>();
  private long demand = Long.MAX_VALUE;
  private boolean eof;
  private Throwable failure;
  private boolean finished;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  private final LongConsumer counted;
  private final Pace pace;

  /** {@code counted} hears of each chunk's size once it was paced (from the reader thread). */
  InputStreamReadStream(Context context, InputStream in, Runnable atEnd, LongConsumer counted) {
    this(context, in, atEnd, counted, Pace.NONE);
  }

  InputStreamReadStream(Context context, InputStream in, Runnable atEnd, LongConsumer counted, Pace pace) {
    this.context = context;
    this.in = in;
    this.atEnd = atEnd;
    this.counted = counted;
    this.pace = pace;
    Thread reader = new Thread(this::readAll, "stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Bytes read from the input so far. */
  long bytes() {
    return bytes.get();
  }

  private void readAll() {
    try (in) {
      while (true) {
        unconsumed.acquire();
        byte[] chunk = in.readNBytes(CHUNK);
        if (chunk.length == 0) {
          break;
        }
        pace.admit(chunk.length);
        bytes.addAndGet(chunk.length);
        counted.accept(chunk.length);
        Buffer buffer = Buffer.buffer(chunk);
        context.runOnContext(v -> {
          pending.add(buffer);
          deliver();
        });
      }
      atEnd.run();
      context.runOnContext(v -> {
        eof = true;
        deliver();
      });
    } catch (IOException | RuntimeException e) {
      context.runOnContext(v -> {
        failure = e;
        deliver();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver() {
    while (!finished && demand > 0 && handler != null && !pending.isEmpty()) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      unconsumed.release();
      handler.handle(pending.poll());
    }
    if (finished) {
      return;
    }
    if (failure != null) {
      finished = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    } else if (eof && pending.isEmpty()) {
      finished = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    context.runOnContext(v -> deliver());
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    context.runOnContext(v -> deliver());
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }
}
