package dev.limpet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line means what the README says. */
class DataPlaneMainTest {
  private static DataPlaneMain parse(String... args) {
    DataPlaneMain main = new DataPlaneMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  /** Runs the command as main does; what it wrote to stderr, after its exit code. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new DataPlaneMain());
    command.setErr(new PrintWriter(err));
    int code = command.execute(args);
    return code + " " + err;
  }

  @Test
  void defaults() {
    DataPlaneMain main = parse("--config", "c.yaml");
    assertThat(main.source.file()).isEqualTo(Path.of("c.yaml"));
    assertThat(main.serving.noAccessLog).isFalse();
    assertThat(main.serving.admin).isEqualTo("127.0.0.1:9901");
    assertThat(main.serving.drainSeconds).isEqualTo(15);
    assertThat(main.keyFiles.keys).isNull();
    assertThat(main.serving.transport).isEqualTo("auto");
  }

  @Test
  void accessLogCanBeTurnedOff() {
    assertThat(parse("--config", "c.yaml", "--no-access-log").serving.noAccessLog).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--config c.yaml --configmap ns/cm"
            + " | Error: --config=<config>, --configmap=<configMap> are mutually exclusive (specify only one)",
        "--admin 127.0.0.1:1"
            + " | 'Error: Missing required argument (specify one of these): (--config=<config> | --configmap=<configMap>)'",
        "--config c.yaml --peers a:1 --peers-dns b:2 --peer-secret-file s"
            + " | Error: --peers-dns=<dns>, --peers=<list> are mutually exclusive (specify only one)",
        "--config c.yaml --peers a:1"
            + " | --peer-secret-file is required with --peers or --peers-dns",
        "--configmap cm" + " | --configmap: expected NAMESPACE/NAME, got cm",
        "--config c.yaml --peers a:1,b --peer-secret-file s"
            + " | --peers: expected host:port, got b",
        "--config c.yaml --stall-threshold-ms 0" + " | --stall-threshold-ms must be positive",
        "--config c.yaml --transport kqueue"
            + " | --transport: 'kqueue' is not one of auto, io_uring, epoll, nio",
      })
  void aBadCommandLineGetsPicocliOneLineErrorAndExitCode2(String args, String error) {
    String out = run(args.split(" "));
    assertThat(out).startsWith("2 ");
    assertThat(out.substring(2).lines().findFirst()).hasValue(error);
    assertThat(out).contains("Usage: limpet-dataplane").doesNotContain("Exception");
  }

  @Test
  void peersComeWithTheirSecret() {
    DataPlaneMain main =
        parse("--configmap", "ns/cm", "--peers", "a:1,b:2", "--peer-secret-file", "s");
    assertThat(main.source.configMap()).isEqualTo("ns/cm");
    assertThat(main.peers.discovery.list).containsExactly("a:1", "b:2");
    assertThat(main.peers.peerSecretFile).isEqualTo(Path.of("s"));
  }

  @Test
  void adminAddressIsParsed() {
    assertThat(HostPort.parse("127.0.0.5:19901").address()).hasToString("/127.0.0.5:19901");
  }
}
