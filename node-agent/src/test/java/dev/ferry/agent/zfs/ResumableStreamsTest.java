package dev.ferry.agent.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The command lines against OpenZFS's documented syntax (zfs-receive.8, zfs-send.8; quoted in
 * {@link ResumableStreams}), and the token's contents as {@code zfs send -n -v -t} prints them.
 */
class ResumableStreamsTest {

  private static final String FS = "tank/ferry/db";
  private static final String TOKEN = "1-e604ea4bf-e0-789c63a2e0";

  @Test
  void theCommandLinesAreOpenZfsDocumentedOnes() {
    record Row(String[] args, List<String> expected) {}
    List<Row> rows = List.of(
        // zfs receive [-FhMnsuv] filesystem
        new Row(ResumableStreams.receive(FS, false, true), List.of("receive", "-u", "-s", FS)),
        new Row(ResumableStreams.receive(FS, true, true), List.of("receive", "-u", "-s", "-F", FS)),
        // zfs-fuse: exactly the receive Ferry always ran
        new Row(ResumableStreams.receive(FS, false, false), List.of("receive", "-u", FS)),
        new Row(ResumableStreams.receive(FS, true, false), List.of("receive", "-u", "-F", FS)),
        // the token is "the value of the receive_resume_token property of the filesystem"
        new Row(ResumableStreams.resumeToken(FS), List.of("get", "-H", "-o", "value", "receive_resume_token", FS)),
        // zfs send [-Penv] -t receive_resume_token
        new Row(ResumableStreams.sendResume(TOKEN), List.of("send", "-t", TOKEN)),
        new Row(ResumableStreams.describe(TOKEN), List.of("send", "-n", "-v", "-t", TOKEN)),
        // zfs receive -A filesystem|volume
        new Row(ResumableStreams.abort(FS), List.of("receive", "-A", FS)));
    for (Row row : rows) {
      assertThat(row.args()).containsExactlyElementsOf(row.expected());
    }
  }

  @Test
  void aDashMeansNoToken() {
    assertThat(ResumableStreams.tokenValue("-\n")).isEmpty();
    assertThat(ResumableStreams.tokenValue(TOKEN + "\n")).isEqualTo(TOKEN);
  }

  @Test
  void onlyATokenOfOpenZfsFormReachesACommandLine() {
    for (String hostile : List.of("", "-R", "--help", "1-e6 -R", "1-e604ea4bf-e0-789c; rm -rf /", "1-E60-E0-78",
        "1-e604ea4bf-e0-" + "a".repeat(ResumeToken.MAX_TOKEN))) {
      assertThatThrownBy(() -> ResumableStreams.sendResume(hostile)).as(hostile)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receive_resume_token");
    }
    assertThat(ResumeToken.requireToken(TOKEN)).isEqualTo(TOKEN);
  }

  @Test
  void readsWhatTheTokenResumes() {
    String fullStream = String.join("\n", "resume token contents:", "nvlist version: 0",
        "\tobject = 0x6", "\toffset = 0x2e0000", "\tbytes = 0x2ec2f8", "\ttoguid = 0x854f02a2dd32cf0d",
        "\ttoname = tank/ferry/db@r0", "");
    assertThat(ResumeToken.parse(fullStream)).contains(new ResumeToken("tank/ferry/db@r0",
        Long.toUnsignedString(0x854f02a2dd32cf0dL), "", 0x2ec2f8));

    String incremental = String.join("\n", "resume token contents:", "nvlist version: 0",
        "\tfromguid = 0x595d9f81aa9dddab", "\tobject = 0x1", "\toffset = 0x0", "\tbytes = 0x0",
        "\ttoguid = 0x1f", "\ttoname = tank/ferry/db@r1", "full\ttank/ferry/db@r1\t123", "");
    assertThat(ResumeToken.parse(incremental)).contains(new ResumeToken("tank/ferry/db@r1", "31",
        Long.toUnsignedString(0x595d9f81aa9dddabL), 0));

    assertThat(ResumeToken.parse("cannot resume send: resume token is corrupt\n")).isEmpty();
    assertThat(ResumeToken.parse("resume token contents:\nnvlist version: 0\n\ttoname = tank/ferry/db@r0\n"))
        .as("no toguid").isEmpty();
    assertThat(ResumeToken.parse("resume token contents:\n\ttoguid = 0xzz\n\ttoname = tank/ferry/db@r0\n"))
        .as("not a number").isEqualTo(Optional.empty());
  }
}
