package dev.jitaccess.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** An SLF4J logger that keeps every line, with its key-value pairs, in memory. */
final class RecordingLogger extends LegacyAbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  /** One logged line: its level, formatted message and key-value pairs in the order added. */
  record Line(Level level, String message, Map<String, Object> keyValues) {
    /** The line as a logfmt layout with {@code %kvp} would write it, before any quoting. */
    String rendered() {
      StringBuilder b = new StringBuilder(level.name()).append(' ').append(message);
      keyValues.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      return b.toString();
    }

    Object get(String key) {
      return keyValues.get(key);
    }
  }

  private final Level threshold;
  private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());

  RecordingLogger() {
    this(Level.TRACE);
  }

  /** Enabled for {@code threshold} and the levels above it. */
  RecordingLogger(Level threshold) {
    this.threshold = threshold;
    this.name = "recording";
  }

  List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  List<Line> lines(Level level) {
    return lines().stream().filter(l -> l.level() == level).toList();
  }

  void clear() {
    lines.clear();
  }

  @Override
  public void log(LoggingEvent event) {
    Map<String, Object> kv = new LinkedHashMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair p : event.getKeyValuePairs()) {
        if (kv.put(p.key, p.value) != null) {
          throw new AssertionError("key " + p.key + " logged twice");
        }
      }
    }
    String message =
        MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray());
    lines.add(new Line(event.getLevel(), message, kv));
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
      Object[] arguments, Throwable throwable) {
    lines.add(new Line(level, MessageFormatter.basicArrayFormat(messagePattern, arguments),
        Map.of()));
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }
}
