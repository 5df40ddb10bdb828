package dev.limpet.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The production logback.xml (tests use logback-test.xml) loads without a single error. */
class LoggingConfigurationTest {
  @Test
  void productionConfigurationLoadsCleanly() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    List<Status> errors =
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() >= Status.WARN)
            .toList();
    assertThat(errors).isEmpty();
    assertThat(context.getLogger("access").getLevel()).hasToString("INFO");
    context.stop();
  }
}
