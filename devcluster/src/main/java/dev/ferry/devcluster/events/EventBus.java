package dev.ferry.devcluster.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The scheduler's event bus: every subscriber sees every event in publication order. Publishing
 * happens on the scheduler's context; subscribers must not block.
 */
public final class EventBus {

  private final List<Consumer<MarathonEvent>> subscribers = new CopyOnWriteArrayList<>();

  public void publish(MarathonEvent event) {
    subscribers.forEach(s -> s.accept(event));
  }

  /** Subscribes; run the returned {@link Runnable} to unsubscribe. */
  public Runnable subscribe(Consumer<MarathonEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }
}
