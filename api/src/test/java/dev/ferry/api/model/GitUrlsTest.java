package dev.ferry.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitUrlsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "https://alice:s3cr3t@git.example.com/cfg.git, true",
      "https://ghp_s3cr3t@github.com/org/cfg.git, true",
      "HTTP://s3cr3t@git.example.com/cfg.git, true",
      "ssh://git:s3cr3t@git.example.com/cfg.git, true",
      "ssh://git@git.example.com/cfg.git, false",
      "git@github.com:org/cfg.git, false",
      "https://git.example.com/cfg.git, false",
      "https://git.example.com/path@v1/cfg.git, false",
      "file:///srv/git/cfg.git, false"})
  void refusesCredentialsWithoutRepeatingThem(String url, boolean refused) {
    Optional<String> problem = GitUrls.credentialProblem(url);

    assertThat(problem.isPresent()).as(url).isEqualTo(refused);
    problem.ifPresent(m -> assertThat(m).doesNotContain("s3cr3t"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "https://alice:s3cr3t@git.example.com/cfg.git, 'cannot fetch main from https://alice:s3cr3t@git.example.com/cfg.git',"
          + " 'cannot fetch main from https://***@git.example.com/cfg.git'",
      "https://git.example.com/cfg.git, 'cannot fetch main', 'cannot fetch main'"})
  void redactsTheUserPartWhereverItShows(String url, String text, String redacted) {
    assertThat(GitUrls.redact(text, url)).isEqualTo(redacted);
  }
}
