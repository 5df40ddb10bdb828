package dev.limpet.dataplane;

import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks the forms picocli's types cannot express, so that a bad value gets picocli's one-line
 * error and the usage, like a missing or excluded option, before anything starts.
 */
final class OptionCheck {
  private final CommandLine commandLine;

  OptionCheck(CommandLine commandLine) {
    this.commandLine = commandLine;
  }

  /** Fails with {@code message} unless {@code ok}. */
  void require(boolean ok, String message) {
    if (!ok) throw new ParameterException(commandLine, message);
  }

  /** Fails with the option and the reader's message when {@code reader} refuses {@code value}. */
  void value(String option, String value, Function<String, ?> reader) {
    if (value == null) return;
    try {
      reader.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, option + ": " + e.getMessage());
    }
  }
}
