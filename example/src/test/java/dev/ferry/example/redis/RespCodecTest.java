package dev.ferry.example.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RespCodecTest {

  @Test
  void encodesEveryArgumentAsABulkStringSoNothingIsInterpreted() {
    assertThat(RespCodec.encode(List.of("HSET", "todos", "1", "a b\r\n\"é\"")).toString())
        .isEqualTo("*4\r\n$4\r\nHSET\r\n$5\r\ntodos\r\n$1\r\n1\r\n$9\r\na b\r\n\"é\"\r\n");
  }

  @Test
  void decodesEachKindOfReply() {
    RespCodec codec = new RespCodec();
    codec.append(Buffer.buffer("+OK\r\n-LOADING Redis is loading\r\n:42\r\n$-1\r\n$3\r\nabc\r\n*2\r\n$1\r\nx\r\n:1\r\n*-1\r\n"));

    assertThat(codec.next()).contains(new RespReply.Simple("OK"));
    assertThat(codec.next()).hasValueSatisfying(r -> assertThat(((RespReply.Error) r).isLoading()).isTrue());
    assertThat(codec.next()).contains(new RespReply.Integer(42));
    assertThat(codec.next()).contains(new RespReply.Bulk(Optional.empty()));
    assertThat(codec.next()).contains(new RespReply.Bulk(Optional.of("abc")));
    assertThat(codec.next()).contains(new RespReply.Array(List.of(new RespReply.Bulk(Optional.of("x")), new RespReply.Integer(1))));
    assertThat(codec.next()).contains(new RespReply.Array(List.of()));
    assertThat(codec.next()).isEmpty();
  }

  @Test
  void waitsForAReplySplitAcrossReads() {
    RespCodec codec = new RespCodec();
    String reply = "*2\r\n$5\r\nhello\r\n$3\r\nhé\r\n";
    byte[] bytes = reply.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length - 1; i++) {
      codec.append(Buffer.buffer(new byte[] {bytes[i]}));
      assertThat(codec.next()).as("after %d bytes", i + 1).isEmpty();
    }
    codec.append(Buffer.buffer(new byte[] {bytes[bytes.length - 1]}));

    assertThat(codec.next()).contains(new RespReply.Array(List.of(
        new RespReply.Bulk(Optional.of("hello")), new RespReply.Bulk(Optional.of("hé")))));
  }

  @Test
  void refusesBytesThatAreNotResp() {
    RespCodec codec = new RespCodec();
    codec.append(Buffer.buffer("HTTP/1.1 400\r\n"));

    assertThatThrownBy(codec::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a RESP reply");
  }
}
