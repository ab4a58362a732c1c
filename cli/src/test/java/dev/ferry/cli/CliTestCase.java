package dev.ferry.cli;

import dev.ferry.testing.EtcdExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What ferryctl's tests start from: a real etcd and an API server for the class ({@link CliFixture}). */
abstract class CliTestCase {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @TempDir
  static Path temp;

  static CliFixture ferry;

  @BeforeAll
  static void startApi() {
    ferry = new CliFixture(etcd.config(), temp);
  }

  @AfterAll
  static void stopApi() {
    if (ferry != null) {
      ferry.close();
      ferry = null;
    }
  }
}
