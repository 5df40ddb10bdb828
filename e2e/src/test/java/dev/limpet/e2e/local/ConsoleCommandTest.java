package dev.limpet.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The local run's prompt answers every bad line with one line saying what it expected. */
class ConsoleCommandTest {
  private static final int REPLICAS = 2;

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "scale x                => usage: scale <n>, n from 0 to 30",
        "scale                  => usage: scale <n>, n from 0 to 30",
        "scale -1               => usage: scale <n>, n from 0 to 30",
        "scale 31               => usage: scale <n>, n from 0 to 30",
        "scale 99999999999      => usage: scale <n>, n from 0 to 30",
        "scale 2 3              => usage: scale <n>, n from 0 to 30",
        "kill 7                 => usage: kill <replica> (0 to 1) or kill operator",
        "kill                   => usage: kill <replica> (0 to 1) or kill operator",
        "kill one               => usage: kill <replica> (0 to 1) or kill operator",
        "delete                 => usage: delete <Kind> <name>, Kind one of PersistenceProfile, Pool,"
            + " DataScript, VirtualService",
        "delete Pool            => usage: delete <Kind> <name>, Kind one of PersistenceProfile, Pool,"
            + " DataScript, VirtualService",
        "delete Deployment demo => delete: unknown Kind 'Deployment', one of PersistenceProfile,"
            + " Pool, DataScript, VirtualService",
        "apply /nope            => apply: no such file or folder: /nope",
        "apply                  => usage: apply <file or folder>",
        "api sideways           => usage: api down | api up",
        "restart-operator now   => usage: restart-operator",
        "status all             => usage: status",
        "frobnicate             => unknown command 'frobnicate'; type help for the commands",
        "kubectl get pods       => unknown command 'kubectl'; type help for the commands",
      })
  void badInputGetsOneLineOfUsage(String line, String message) {
    ConsoleCommand command = ConsoleCommand.parse(line, REPLICAS);

    assertThat(command).isEqualTo(new ConsoleCommand.Usage(message));
    assertThat(message).doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void goodInputIsParsed() {
    assertThat(ConsoleCommand.parse("  scale 5 ", REPLICAS)).isEqualTo(new ConsoleCommand.Scale(5));
    assertThat(ConsoleCommand.parse("scale 0", REPLICAS)).isEqualTo(new ConsoleCommand.Scale(0));
    assertThat(ConsoleCommand.parse("kill 1", REPLICAS))
        .isEqualTo(new ConsoleCommand.KillReplica(1));
    assertThat(ConsoleCommand.parse("kill operator", REPLICAS))
        .isEqualTo(new ConsoleCommand.KillOperator());
    assertThat(ConsoleCommand.parse("delete pool client-ip", REPLICAS))
        .isEqualTo(new ConsoleCommand.Delete("Pool", "client-ip"));
    assertThat(ConsoleCommand.parse("apply ../examples/client-ip", REPLICAS))
        .isEqualTo(new ConsoleCommand.Apply(Path.of("../examples/client-ip")));
    assertThat(ConsoleCommand.parse("api down", REPLICAS)).isEqualTo(new ConsoleCommand.Api(false));
    assertThat(ConsoleCommand.parse("", REPLICAS)).isEqualTo(new ConsoleCommand.Nothing());
    assertThat(ConsoleCommand.parse("quit", REPLICAS)).isEqualTo(new ConsoleCommand.Quit());
  }
}
