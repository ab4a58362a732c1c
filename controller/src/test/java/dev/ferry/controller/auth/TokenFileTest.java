package dev.ferry.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenFileTest {

  @Test
  void readsTokensUsersAndRoles() {
    Tokens tokens = TokenFile.parse("t", """
        # token,user,role
        aaaaaaaaaaaaaaaa1,alice,admin

        bbbbbbbbbbbbbbbb2, ci , edit
        """);

    assertThat(tokens.authenticate("aaaaaaaaaaaaaaaa1")).contains(new Principal("alice", Role.ADMIN));
    assertThat(tokens.authenticate("bbbbbbbbbbbbbbbb2")).contains(new Principal("ci", Role.EDIT));
    assertThat(tokens.authenticate("cccccccccccccccc3")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
  }

  @Test
  void refusesTheWholeFileForOneBadLineNamingIt() {
    assertThatThrownBy(() -> TokenFile.parse("tokens.csv", "aaaaaaaaaaaaaaaa1,alice,root\nshort,bob,view\n"))
        .hasMessageContaining("tokens.csv:1: role 'root' must be admin, edit, view or metrics")
        .hasMessageContaining("tokens.csv:2: a token must be at least 16 characters");
    assertThatThrownBy(() -> TokenFile.parse("t", "aaaaaaaaaaaaaaaa1,a,view\naaaaaaaaaaaaaaaa1,b,view\n"))
        .hasMessageContaining("t:2: this token is already given to a");
    assertThatThrownBy(() -> TokenFile.parse("t", "aaaaaaaaaaaaaaaa1,alice\n")).hasMessageContaining("expected token,user,role");
  }

  @Test
  void rolesIncludeTheSmallerOnes() {
    assertThat(Role.ADMIN.includes(Role.EDIT)).isTrue();
    assertThat(Role.EDIT.includes(Role.VIEW)).isTrue();
    assertThat(Role.VIEW.includes(Role.EDIT)).isFalse();
    assertThat(Role.toWrite(dev.ferry.api.model.Kind.NODE)).isEqualTo(Role.ADMIN);
    assertThat(Role.toWrite(dev.ferry.api.model.Kind.STATEFUL_APP)).isEqualTo(Role.EDIT);
  }
}
