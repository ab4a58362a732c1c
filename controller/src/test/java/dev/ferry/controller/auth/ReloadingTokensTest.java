package dev.ferry.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingTokensTest {

  static final String ALICE = "aaaaaaaaaaaaaaaa1";
  static final String BOB = "bbbbbbbbbbbbbbbb2";

  @TempDir
  Path dir;

  @Test
  void takesAChangedFileAndKeepsTheTokensWhenTheFileIsBroken() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens.csv"), ALICE + ",alice,admin\n" + BOB + ",bob,view\n");
    ReloadingTokens tokens = ReloadingTokens.read(file);
    assertThat(tokens.reload()).as("unchanged").isFalse();

    Files.writeString(file, ALICE + ",alice,admin\n");
    assertThat(tokens.reload()).isTrue();
    assertThat(tokens.get().authenticate(BOB)).isEmpty();
    assertThat(tokens.get().authenticate(ALICE)).contains(new Principal("alice", Role.ADMIN));

    Files.writeString(file, ALICE + ",alice,root\n");
    assertThat(tokens.reload()).as("a role that does not exist").isFalse();
    assertThat(tokens.get().authenticate(ALICE)).contains(new Principal("alice", Role.ADMIN));
    Files.delete(file);
    assertThat(tokens.reload()).as("a file that is gone").isFalse();
    assertThat(tokens.get().size()).isEqualTo(1);
  }
}
