package dev.limpet.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} passes, without a warning, for every case of the values matrix. */
@Timeout(60)
class ChartLintTest {
  @TempDir Path work;

  @ParameterizedTest
  @MethodSource("dev.limpet.charts.ValuesCase#matrix")
  void lintsWithoutErrorsOrWarnings(ValuesCase values) throws IOException {
    LintResult result = LimpetChart.lint(values, work);

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(message -> message.startsWith("[ERROR]") || message.startsWith("[WARNING]"));
  }
}
