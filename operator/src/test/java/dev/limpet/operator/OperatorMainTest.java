package dev.limpet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** picocli checks the options that come together; a bad command line never reaches the API. */
class OperatorMainTest {
  @Test
  void aWebhookWithoutItsKeyGetsPicocliOneLineErrorAndExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new OperatorMain());
    command.setErr(new PrintWriter(err));
    int code = command.execute("--webhook", "0.0.0.0:9443", "--webhook-cert", "tls.crt");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().findFirst())
        .hasValue("Error: Missing required argument(s): --webhook-key=<key>");
    assertThat(err.toString()).contains("Usage: limpet-operator").doesNotContain("Exception");
  }

  @Test
  void theWebhookOptionsComeTogether() {
    OperatorMain main = new OperatorMain();
    new CommandLine(main)
        .parseArgs("--webhook", "0.0.0.0:9443", "--webhook-cert", "c", "--webhook-key", "k");
    assertThat(main.webhook.address).isEqualTo("0.0.0.0:9443");
    assertThat(main.webhook.key).isEqualTo(Path.of("k"));
    OperatorMain none = new OperatorMain();
    new CommandLine(none).parseArgs();
    assertThat(none.webhook).isNull();
  }
}
