package dev.limpet.dataplane.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines of the {@code access} logger while open (tests keep it at WARN otherwise). */
public final class AccessLogLines implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("access");
  private final Level level = logger.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public AccessLogLines() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** Each line with its structured fields ({@code key=value}, as logback's JSON writes them). */
  public List<String> fields() {
    synchronized (appender.list) {
      return appender.list.stream()
          .map(
              e ->
                  java.util.Arrays.stream(e.getArgumentArray())
                      .map(String::valueOf)
                      .collect(java.util.stream.Collectors.joining(" ")))
          .toList();
    }
  }

  @Override
  public void close() {
    logger.setLevel(level);
    logger.detachAppender(appender);
  }
}
