package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsFeatures;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.transfer.TransferTicket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's resume path, which zfs-fuse cannot run: against a stand-in {@code zfs} that
 * records its command lines and plays an OpenZFS target with an interrupted full receive of
 * {@code tank/ferry/db} (the dataset does not exist once its partial receive is aborted). What it
 * checks is which commands the agent runs and in which order, not what OpenZFS does with them.
 */
class TransferReceiverResumeTest {

  private static final String TOKEN = "1-e604ea4bf-e0-789c63a2e0";
  private static final DatasetName DB = DatasetName.of("db");
  private static final ZfsFeatures OPENZFS = new ZfsFeatures(true, true, true, true);

  @TempDir
  Path dir;

  private Path log;
  private Path tokenFile;
  private ZfsCli cli;

  @BeforeEach
  void standIn() throws IOException {
    log = dir.resolve("commands");
    tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Path zfs = dir.resolve("zfs");
    Files.writeString(zfs, String.join("\n",
        "#!/bin/bash",
        "echo \"$*\" >> '" + log + "'",
        "case \"$*\" in",
        "  'get -H -o value receive_resume_token '*) cat '" + tokenFile + "' ;;",
        "  'get -H -o value type tank/ferry') echo filesystem ;;",
        "  'get '*) echo \"cannot open '${*: -1}': dataset does not exist\" >&2; exit 1 ;;",
        "  'receive -A '*) echo - > '" + tokenFile + "' ;;",
        "  'receive '*) cat > /dev/null ;;",
        "  *) echo \"unexpected: $*\" >&2; exit 2 ;;",
        "esac",
        ""));
    Files.setPosixFilePermissions(zfs, PosixFilePermissions.fromString("rwx------"));
    cli = new ZfsCli(zfs.toString(), zfs.toString(), Duration.ofSeconds(30));
  }

  private TransferReceiver receiver(ZfsFeatures features) {
    return new TransferReceiver(new ZfsDriver(new ZfsLayout("tank", dir.resolve("datasets")), cli, features), d -> false);
  }

  private static TransferTicket fullStream() {
    return TransferTicket.issue("0d6c1f52-7a3e-4b8f-9c10-5e2d4a6b8c9f", 0, "db", "node1", "node2", "", "r0",
        Duration.ofMinutes(5), Clock.systemUTC());
  }

  private List<String> commands() throws IOException {
    return Files.readAllLines(log);
  }

  @Test
  void aStreamThatResumesTheTargetsTokenContinuesTheReceive() throws IOException {
    TransferReceiver receiver = receiver(OPENZFS);
    assertThat(receiver.resumeToken(DB)).contains(TOKEN);

    try (StreamingProcess receive = receiver.begin(fullStream(), OptionalLong.empty(), Optional.of(TOKEN))) {
      receive.awaitSuccess();
    }

    assertThat(commands()).containsExactly(
        "get -H -o value receive_resume_token tank/ferry/db",
        "get -H -o value receive_resume_token tank/ferry/db",
        "receive -u -s tank/ferry/db");
  }

  @Test
  void aStreamThatResumesAnotherTokenIsRefusedBeforeAnyReceive() throws IOException {
    String other = "1-aaaaaaaaa-e0-789c00";
    assertThatThrownBy(() -> receiver(OPENZFS).begin(fullStream(), OptionalLong.empty(), Optional.of(other)))
        .isInstanceOf(TransferRefusedException.class)
        .satisfies(e -> assertThat(((TransferRefusedException) e).reason()).isEqualTo("ResumeTokenStale"))
        .hasMessageContaining("send the whole stream");
    assertThat(commands()).noneMatch(c -> c.startsWith("receive"));
  }

  @Test
  void aWholeStreamDiscardsThePartialReceiveFirstAndKeepsItsOwnResumable() throws IOException {
    try (StreamingProcess receive = receiver(OPENZFS).begin(fullStream(), OptionalLong.empty(), Optional.empty())) {
      receive.awaitSuccess();
    }

    List<String> commands = commands();
    assertThat(commands).containsSubsequence("get -H -o value receive_resume_token tank/ferry/db",
        "receive -A tank/ferry/db", "receive -u -s tank/ferry/db");
  }

  @Test
  void onZfsFuseNothingAboutResumingIsRun() throws IOException {
    TransferReceiver receiver = receiver(ZfsFeatures.NONE);
    assertThat(receiver.resumeToken(DB)).isEmpty();

    try (StreamingProcess receive = receiver.begin(fullStream(), OptionalLong.empty(), Optional.empty())) {
      receive.awaitSuccess();
    }

    assertThat(commands()).noneMatch(c -> c.contains("receive_resume_token") || c.contains("-A") || c.contains("-s"))
        .contains("receive -u tank/ferry/db");
  }
}
