package dev.ferry.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Event;
import dev.ferry.api.model.EventType;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.testing.EtcdExtension;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventRecorderTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private static EtcdStore store;

  @BeforeAll
  static void connect() {
    store = EtcdStore.connect(etcd.config());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void theSameEventTwiceIsOneEventCountedTwice() {
    EventRecorder recorder = new EventRecorder(store, "controller", Clock.systemUTC());
    ObjectReference app = new ObjectReference("StatefulApp", "todos-db", "uid-1");

    recorder.normal(app, "DatasetPlaced", "todos-data goes to node1").join();
    recorder.normal(app, "DatasetPlaced", "todos-data goes to node1").join();
    recorder.warning(app, "Unschedulable", "no node satisfies [[disk, LIKE, nvme]]").join();

    List<Event> events = store.list(Kind.EVENT, LabelSelector.parse("ferry.dev/name=todos-db")).join().items();
    assertThat(events).hasSize(2);
    assertThat(events).filteredOn(e -> e.spec().reason().equals("DatasetPlaced")).singleElement().satisfies(e -> {
      assertThat(e.spec().count()).isEqualTo(2);
      assertThat(e.spec().source()).isEqualTo("controller");
      assertThat(e.spec().involvedObject()).isEqualTo(app);
      assertThat(e.spec().lastTimestamp()).isAfterOrEqualTo(e.spec().firstTimestamp());
    });
    assertThat(events).filteredOn(e -> e.spec().type() == EventType.Warning).hasSize(1);
  }

  @Test
  void namesAreValidObjectNamesEvenForLongNames() {
    String name = EventRecorder.eventName(new ObjectReference("Migration", "m".repeat(63), ""), "RoundFailed", "x");

    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void aStoreThatCannotBeReachedDoesNotFailTheCaller() {
    EtcdStore closed = EtcdStore.connect(etcd.config());
    closed.close();
    EventRecorder recorder = new EventRecorder(closed, "controller", Clock.systemUTC());

    recorder.normal(new ObjectReference("Node", "node1", ""), "Registered", "hello").join();
  }
}
