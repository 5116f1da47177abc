package dev.jitaccess.examples;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A scenario's printed timeline: one line per thing that happened, with the time on the
 * scenario's clock (a fake one, so the timeline is the same on every run), who acted, and what
 * happened. Not thread-safe: a scenario prints from its own thread, and from the fake clock's
 * timers, which run on that thread too.
 */
final class Timeline {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final PrintStream out;
  private final Clock clock;

  Timeline(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** An instant as the timeline writes it in a line's text. */
  static String at(Instant instant) {
    return AT.format(instant);
  }

  /** The scenario's name and what it shows, before its first line. */
  void title(String title) {
    out.println(title);
    out.println("-".repeat(Math.min(title.length(), 100)));
  }

  /** One event: now, who, what (and its outcome). */
  void line(String who, String what) {
    out.printf("%s  %-20s %s%n", TIME.format(clock.instant()), who, what);
  }

  /** A continuation of the line before, indented under its text. */
  void detail(String text) {
    out.printf("%s%s%n", " ".repeat(46), text);
  }

  /** A row of a table printed under the line before. */
  void row(String text) {
    out.println("    " + text);
  }

  /** A duration as the timeline writes it: {@code 7 h 49 min}, {@code 4 min}. */
  static String span(Duration d) {
    long minutes = d.toMinutes();
    return minutes >= 60 ? minutes / 60 + " h " + minutes % 60 + " min" : minutes + " min";
  }

  /** A closing summary. */
  void summary(String text) {
    out.println();
    out.println(text);
  }
}
