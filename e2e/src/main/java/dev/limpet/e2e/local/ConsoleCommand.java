package dev.limpet.e2e.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One line typed at the local run's prompt, parsed: a command to run, or {@link Usage}, the one
 * line that says what is wrong with it. Pure: it reads nothing but the file system (for {@code
 * apply}).
 */
sealed interface ConsoleCommand {
  /** The demo Deployment's pods each need an address of their own: {@code LocalSettings}. */
  int MAX_DEMO_PODS = 30;

  record Nothing() implements ConsoleCommand {}

  record Help() implements ConsoleCommand {}

  record Quit() implements ConsoleCommand {}

  record Status() implements ConsoleCommand {}

  record Apply(Path path) implements ConsoleCommand {}

  record Delete(String kind, String name) implements ConsoleCommand {}

  record Scale(int replicas) implements ConsoleCommand {}

  /** SIGKILL for a data-plane replica. */
  record KillReplica(int replica) implements ConsoleCommand {}

  /** SIGKILL for the operator. */
  record KillOperator() implements ConsoleCommand {}

  record RestartOperator() implements ConsoleCommand {}

  record Api(boolean up) implements ConsoleCommand {}

  /** Bad input: what was expected, in one line. */
  record Usage(String message) implements ConsoleCommand {}

  /** Parses {@code line}; {@code replicas} is how many data-plane replicas there are. */
  static ConsoleCommand parse(String line, int replicas) {
    List<String> w = List.of(line.trim().split("\\s+"));
    String verb = w.get(0);
    int args = w.size() - 1;
    switch (verb) {
      case "":
        return new Nothing();
      case "help":
        return new Help();
      case "quit":
      case "exit":
        return new Quit();
      case "status":
        return args == 0 ? new Status() : new Usage("usage: status");
      case "apply":
        if (args != 1) return new Usage("usage: apply <file or folder>");
        Path path = Path.of(w.get(1));
        return Files.exists(path)
            ? new Apply(path)
            : new Usage("apply: no such file or folder: " + path.toAbsolutePath().normalize());
      case "delete":
        String kinds = String.join(", ", LimpetResources.KINDS);
        if (args != 2) return new Usage("usage: delete <Kind> <name>, Kind one of " + kinds);
        return kind(w.get(1))
            .<ConsoleCommand>map(kind -> new Delete(kind, w.get(2)))
            .orElse(new Usage("delete: unknown Kind '" + w.get(1) + "', one of " + kinds));
      case "scale":
        return args == 1
            ? wholeNumber(w.get(1), 0, MAX_DEMO_PODS)
                .<ConsoleCommand>map(Scale::new)
                .orElse(new Usage("usage: scale <n>, n from 0 to " + MAX_DEMO_PODS))
            : new Usage("usage: scale <n>, n from 0 to " + MAX_DEMO_PODS);
      case "kill":
        String killUsage = "usage: kill <replica> (0 to " + (replicas - 1) + ") or kill operator";
        if (args != 1) return new Usage(killUsage);
        if (w.get(1).equals("operator")) return new KillOperator();
        return wholeNumber(w.get(1), 0, replicas - 1)
            .<ConsoleCommand>map(KillReplica::new)
            .orElse(new Usage(killUsage));
      case "restart-operator":
        return args == 0 ? new RestartOperator() : new Usage("usage: restart-operator");
      case "api":
        if (args == 1 && w.get(1).equals("down")) return new Api(false);
        if (args == 1 && w.get(1).equals("up")) return new Api(true);
        return new Usage("usage: api down | api up");
      default:
        return new Usage("unknown command '" + verb + "'; type help for the commands");
    }
  }

  private static Optional<Integer> wholeNumber(String text, int min, int max) {
    if (!text.matches("[0-9]{1,4}")) return Optional.empty();
    int n = Integer.parseInt(text);
    return n >= min && n <= max ? Optional.of(n) : Optional.empty();
  }

  /** A Limpet Kind as {@code delete} takes it: in any case, as kubectl does. */
  private static Optional<String> kind(String text) {
    return LimpetResources.KINDS.stream()
        .filter(k -> k.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
