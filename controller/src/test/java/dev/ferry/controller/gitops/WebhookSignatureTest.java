package dev.ferry.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which webhook calls {@link WebhookSignature} lets through, by the headers the git hosts send. */
class WebhookSignatureTest {

  /** GitHub's own example in "Validating webhook deliveries". */
  static final String SECRET = "It's a Secret to Everybody";
  static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  static final String GITHUB_EXAMPLE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void signsAsGitHubDoes() {
    assertThat(WebhookSignature.github(SECRET, BODY)).isEqualTo(GITHUB_EXAMPLE);
  }

  static Stream<Arguments> calls() {
    return Stream.of(
        Arguments.of("GitHub's example", SECRET, Map.of("X-Hub-Signature-256", GITHUB_EXAMPLE), Optional.empty()),
        Arguments.of("upper-case hex", SECRET, Map.of("X-Hub-Signature-256", GITHUB_EXAMPLE.toUpperCase().replace("SHA256=", "sha256=")),
            Optional.empty()),
        Arguments.of("GitLab's token", SECRET, Map.of("X-Gitlab-Token", SECRET), Optional.empty()),
        Arguments.of("another secret", "another", Map.of("X-Hub-Signature-256", GITHUB_EXAMPLE),
            Optional.of("X-Hub-Signature-256 does not match")),
        Arguments.of("no prefix", SECRET, Map.of("X-Hub-Signature-256", GITHUB_EXAMPLE.substring(7)),
            Optional.of("X-Hub-Signature-256 does not match")),
        Arguments.of("not hex", SECRET, Map.of("X-Hub-Signature-256", "sha256=xyz"), Optional.of("X-Hub-Signature-256 does not match")),
        Arguments.of("a bad GitHub signature beside a good GitLab token", SECRET,
            Map.of("X-Hub-Signature-256", "sha256=00", "X-Gitlab-Token", SECRET), Optional.of("X-Hub-Signature-256 does not match")),
        Arguments.of("a prefix of the token", SECRET, Map.of("X-Gitlab-Token", SECRET.substring(1)),
            Optional.of("X-Gitlab-Token does not match")),
        Arguments.of("no header", SECRET, Map.of(), Optional.of("neither X-Hub-Signature-256 nor X-Gitlab-Token is given")),
        Arguments.of("no secret", "", Map.of("X-Gitlab-Token", ""), Optional.of("the GitSource has no webhook secret")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void refusesWhatIsNotSignedWithTheSecret(String what, String secret, Map<String, String> headers, Optional<String> problem) {
    assertThat(WebhookSignature.problem(secret, headers::get, BODY)).isEqualTo(problem);
  }
}
