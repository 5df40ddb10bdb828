package dev.limpet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line means what the README says. */
class DataPlaneMainTest {
  private static DataPlaneMain parse(String... args) {
    DataPlaneMain main = new DataPlaneMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void defaults() {
    DataPlaneMain main = parse("--config", "c.yaml");
    assertThat(main.config).isEqualTo(Path.of("c.yaml"));
    assertThat(main.noAccessLog).isFalse();
    assertThat(main.admin).isEqualTo("127.0.0.1:9901");
    assertThat(main.drainSeconds).isEqualTo(15);
    assertThat(main.keys).isNull();
  }

  @Test
  void accessLogCanBeTurnedOff() {
    assertThat(parse("--config", "c.yaml", "--no-access-log").noAccessLog).isTrue();
  }

  @Test
  void adminAddressIsParsed() {
    assertThat(DataPlaneMain.parse("127.0.0.5:19901")).hasToString("/127.0.0.5:19901");
  }
}
