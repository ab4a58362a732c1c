package dev.ferry.devcluster.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedHostsTest {

  @ParameterizedTest(name = "bound to {0}, Host {1}: {2}")
  @CsvSource({
      "127.0.0.1,     127.0.0.1,        true",
      "127.0.0.1,     localhost,        true",
      "127.0.0.1,     LOCALHOST.,       true",
      "127.0.0.1,     [::1],            true",
      "127.0.0.1,     evil.example,     false",
      "127.0.0.1,     127.0.0.1.evil.example, false",
      "127.0.0.1,     192.168.56.10,    false",
      "127.0.0.1,     devbox,           true",
      "192.168.56.10, 192.168.56.10,    true",
      "0.0.0.0,       192.168.56.10,    true",
      "0.0.0.0,       10.1.2.3,         false",
      "127.0.0.1,     '',               false",
  })
  void allowsTheBindAddressLoopbackAndConfiguredNamesOnly(String bind, String host, boolean allowed) {
    AllowedHosts hosts = AllowedHosts.of(bind, List.of("192.168.56.10", "127.0.0.1"), List.of("devbox"));
    assertThat(hosts.allows(host)).isEqualTo(allowed);
  }
}
