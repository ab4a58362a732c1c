package dev.ferry.controller.leader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election over ZooKeeper with Curator's {@link LeaderLatch}: one controller replica
 * leads, the others stand by. Leading stops the moment the ZooKeeper session is suspended or
 * lost, not when Curator finally decides it is lost: a partitioned leader must stop writing
 * before another can have been elected. (Its etcd writes are fenced as well, see
 * {@link dev.ferry.api.store.Fence}.)
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** What to do on gaining and losing leadership. Called on Curator's threads, one at a time. */
  public interface Duties {
    void lead();

    void stopLeading();
  }

  private final CuratorFramework curator;
  private final LeaderLatch latch;
  private final Duties duties;
  private final AtomicBoolean leading = new AtomicBoolean();

  public Leadership(CuratorFramework curator, String path, String id, Duties duties) {
    this.curator = curator;
    this.duties = duties;
    this.latch = new LeaderLatch(curator, path, id, LeaderLatch.CloseMode.NOTIFY_LEADER);
  }

  public Leadership start() {
    curator.getConnectionStateListenable().addListener((client, state) -> {
      if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
        LOG.warn("ZooKeeper connection {}: stop reconciling until leadership is certain again", state);
        stop();
      } else if (state == ConnectionState.RECONNECTED && latch.hasLeadership()) {
        begin();
      }
    });
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        begin();
      }

      @Override
      public void notLeader() {
        stop();
      }
    });
    try {
      latch.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not join the leader election: " + e.getMessage(), e);
    }
    return this;
  }

  public boolean isLeading() {
    return leading.get();
  }

  private synchronized void begin() {
    if (leading.compareAndSet(false, true)) {
      LOG.info("this controller leads");
      duties.lead();
    }
  }

  private synchronized void stop() {
    if (leading.compareAndSet(true, false)) {
      LOG.info("this controller no longer leads");
      duties.stopLeading();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      latch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalStateException alreadyClosed) {
      // Closing twice is fine.
    }
  }
}
