package dev.ferry.controller.runtime;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Node;
import dev.ferry.api.store.EtcdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what the node agent does once it writes identity markers (the branch that adds them):
 * when a Dataset's primary copy is reported mounted and its {@code status.identity} is empty,
 * writes {@code .ferry/identity} into the mount and the same string into the status, so that
 * the task guard lets the app start. Remove it when the agent does this itself.
 */
final class IdentityStandIn implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityStandIn.class);

  private final EtcdStore store;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "identity-stand-in");
    t.setDaemon(true);
    return t;
  });

  IdentityStandIn(EtcdStore store) {
    this.store = store;
    timer.scheduleWithFixedDelay(this::stampAll, 200, 200, TimeUnit.MILLISECONDS);
  }

  private void stampAll() {
    try {
      for (Dataset d : store.list(Kind.DATASET, LabelSelector.EVERYTHING).join().items()) {
        DatasetCopy copy = d.status().copies().get(d.spec().primary());
        if (d.status().identity().isEmpty() && copy != null && copy.mounted()) {
          stamp(d);
        }
      }
    } catch (RuntimeException | IOException e) {
      // A conflicting write or a dataset gone meanwhile: the next round looks again.
      LOG.debug("identity stand-in: {}", e.getMessage());
    }
  }

  private void stamp(Dataset d) throws IOException {
    Node node = store.get(Kind.NODE, d.spec().primary()).join().orElseThrow();
    Path marker = Path.of(node.spec().datasetPath(d.name()), ".ferry", "identity");
    String identity = d.name() + "/" + UUID.randomUUID().toString().substring(0, 8);
    Files.createDirectories(marker.getParent());
    Files.writeString(marker, identity + "\n");
    DatasetStatus s = d.status();
    store.updateStatus(d.withStatus(new DatasetStatus(s.observedGeneration(), s.copies(), s.conditions(), identity))).join();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
