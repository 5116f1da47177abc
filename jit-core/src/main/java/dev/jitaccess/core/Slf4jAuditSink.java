package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The default audit sink: one SLF4J line per audit event on the logger {@value #LOGGER_NAME}
 * (another with {@link Builder#logger(String)}), made to be shipped to a log store or a SIEM.
 *
 * <p><b>What is logged.</b> Every line carries SLF4J 2 key-value pairs, only for the fields that
 * are set (never a null): {@code event}, {@code at}, {@code grant} (the grant's {@link
 * dev.jitaccess.GrantReference}, never its id), {@code parent} (the parent's reference), {@code
 * subject}, {@code owner}, {@code task}, {@code scope}, {@code expiresAt}, {@code reason}, {@code
 * action}, {@code resource}, {@code justification}, {@code ticket}, {@code tier}, {@code detail};
 * a summary of denials adds {@code count}, {@code window}, {@code first} and {@code last}. For
 * layouts without the key-value pairs, the message starts with the event type and repeats the
 * others but {@code at} (the line has its own time), in the same order: {@code DENIED
 * grant=gr_3q2uXfRq1Y0nKk9b subject=ci-job task=deploy-42 reason=REVOKED action=write
 * resource=orders/1}; in the message, a value that is empty or holds a space, an
 * {@code =} or a {@code "} is quoted, with {@code \"} for a quote.
 *
 * <p><b>Escaping.</b> Every value is made single-line and unable to reorder text, and nothing is
 * lost: control characters (line feed, carriage return, tab, NEL, ...), the line and paragraph
 * separators U+2028 and U+2029, format characters (among them the bidirectional controls U+061C,
 * U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069, and the zero-width characters) and
 * unpaired surrogates are written as the text {@code \}{@code uXXXX} (one per UTF-16 unit), and a
 * backslash as two, so that an escape in the output always stands for the character it names.
 * Quoting for logfmt or JSON is left to the encoder.
 *
 * <p><b>Levels.</b> {@link AuditEventType#DENIED DENIED}, {@link AuditEventType#BREAK_GLASS
 * BREAK_GLASS}, {@link AuditEventType#BREAK_GLASS_LOCKED BREAK_GLASS_LOCKED}, {@link
 * AuditEventType#POLICY_DISAGREEMENT POLICY_DISAGREEMENT}, {@link AuditEventType#ORPHAN_FOUND
 * ORPHAN_FOUND}, {@link AuditEventType#RECERTIFICATION_LAPSED RECERTIFICATION_LAPSED} and {@link
 * AuditEventType#TEARDOWN_IRREVOCABLE TEARDOWN_IRREVOCABLE} at WARN, every other type at INFO.
 * Nothing is formatted for a level that is off; only denials are aggregated.
 *
 * <p><b>Denial floods.</b> Denials are aggregated so that a client retrying a revoked grant, or
 * probing, cannot flood the trail. Denials with the same grant reference and the same reason (for
 * a denial without a grant: the same subject and reason) share a window of {@link
 * Builder#denialWindow(Duration)} (default {@link #DEFAULT_DENIAL_WINDOW}), which opens with the
 * first of them: that one is logged at once, in full; the next ones in the window are only
 * counted. When the window has passed, the first event of any kind that finds it so (a denial of
 * that key, or any other event once the oldest window is due) logs one summary line at WARN, if
 * any denial was counted: the key ({@code grant} and {@code parent}, or {@code subject}, and
 * {@code reason}), {@code count} (the denials not logged), {@code window} (the window's length,
 * ISO-8601), {@code first} and {@code last} (the {@code at} of the first and last of them; {@code
 * at} is the last's). The window has passed once the clock reads its start plus its length; a
 * denial after that opens a new window. {@link #flush()} logs the summaries of the open windows at once. At
 * most {@value #MAX_TRACKED_KEYS} keys are tracked: when a new key arrives and the table is full,
 * the window opened first is summarised and dropped. Windows are measured on the sink's clock
 * (default the system UTC clock), never on the wall clock directly. Denials of distinct grants are
 * distinct keys, so checks with ever new grant ids are each logged.
 *
 * <p>Thread-safe: counting is atomic, so under concurrency every denial is either logged or
 * counted in exactly one summary. Lines are written outside the sink's lock, so lines of different
 * threads may interleave in any order.
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The logger the events go to by default. */
  public static final String LOGGER_NAME = "dev.jitaccess.audit";

  /** The default length of a denial window: 60 seconds. */
  public static final Duration DEFAULT_DENIAL_WINDOW = Duration.ofSeconds(60);

  /** The most denial keys tracked at once. */
  public static final int MAX_TRACKED_KEYS = 10_000;

  private final Logger logger;
  private final Clock clock;
  private final Duration window;
  private final DenialWindows windows;

  /**
   * A sink on the {@value #LOGGER_NAME} logger, with windows of {@link #DEFAULT_DENIAL_WINDOW} on
   * the system UTC clock.
   */
  public Slf4jAuditSink() {
    this(LoggerFactory.getLogger(LOGGER_NAME), Clock.systemUTC(), DEFAULT_DENIAL_WINDOW,
        MAX_TRACKED_KEYS);
  }

  private Slf4jAuditSink(Logger logger, Clock clock, Duration window, int maxKeys) {
    this.logger = logger;
    this.clock = clock;
    this.window = window;
    this.windows = new DenialWindows(window, maxKeys);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event must not be null");
    if (event.type() == AuditEventType.DENIED) {
      recordDenial(event);
      return;
    }
    List<AuditLine> due = windows.closePassed(clock);
    emitAll(due);
    Level level = levelOf(event.type());
    if (logger.isEnabledForLevel(level)) {
      emit(level, AuditLine.of(event));
    }
  }

  /**
   * WARN for what someone should look at now: emergency access, its lapses, policy drift, misuse
   * found by an anomaly detector.
   */
  static Level levelOf(AuditEventType type) {
    switch (type) {
      case ANOMALY:
      case BREAK_GLASS:
      case BREAK_GLASS_LOCKED:
      case POLICY_DISAGREEMENT:
      case ORPHAN_FOUND:
      case RECERTIFICATION_LAPSED:
      case TEARDOWN_IRREVOCABLE:
        return Level.WARN;
      default:
        return Level.INFO;
    }
  }

  /**
   * Logs, at once, one summary line for each open window in which denials were counted, and
   * counts afresh: the windows stay open, so a denial within one is still only counted. Windows
   * that have passed are closed. Call it before shutting down, so that no count is lost.
   */
  public void flush() {
    emitAll(windows.drainAll(clock.instant()));
  }

  /** The length of a denial window. */
  public Duration denialWindow() {
    return window;
  }

  /** The number of denial windows open now. */
  int trackedKeys() {
    return windows.size();
  }

  private void recordDenial(AuditEvent event) {
    if (!logger.isEnabledForLevel(Level.WARN)) {
      return;
    }
    List<AuditLine> due = new ArrayList<>(1);
    boolean opened = windows.deny(event, clock.instant(), due);
    emitAll(due);
    if (opened) {
      emit(Level.WARN, AuditLine.of(event));
    }
  }

  private void emitAll(List<AuditLine> due) {
    for (AuditLine line : due) {
      emit(Level.WARN, line);
    }
  }

  private void emit(Level level, AuditLine line) {
    LoggingEventBuilder b = logger.atLevel(level);
    for (int i = 0; i < line.keys.size(); i++) {
      b = b.addKeyValue(line.keys.get(i), line.values.get(i));
    }
    // The message is an argument, never a pattern: no value is read as a placeholder.
    b.log("{}", line.message.toString());
  }

  /**
   * Builds a {@link Slf4jAuditSink}. Each setting may be made once; a second call throws {@link
   * IllegalStateException}. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable Duration denialWindow;
    private @Nullable Logger logger;

    private Builder() {}

    /**
     * The clock denial windows are measured on; default the system UTC clock. Give the runtime's
     * clock.
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock must not be null");
      requireUnset(this.clock, "clock");
      this.clock = clock;
      return this;
    }

    /**
     * How long denials of one key are counted after the first is logged; default {@link
     * Slf4jAuditSink#DEFAULT_DENIAL_WINDOW}.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder denialWindow(Duration denialWindow) {
      Objects.requireNonNull(denialWindow, "denialWindow must not be null");
      requireUnset(this.denialWindow, "denialWindow");
      if (denialWindow.isNegative() || denialWindow.isZero()) {
        throw new IllegalArgumentException("denialWindow must be > 0, was " + denialWindow);
      }
      this.denialWindow = denialWindow;
      return this;
    }

    /** The logger named {@code name}; default {@value Slf4jAuditSink#LOGGER_NAME}. */
    public Builder logger(String name) {
      Objects.requireNonNull(name, "logger must not be null");
      requireUnset(this.logger, "logger");
      this.logger = LoggerFactory.getLogger(name);
      return this;
    }

    /** The logger; default the one named {@value Slf4jAuditSink#LOGGER_NAME}. */
    public Builder logger(Logger logger) {
      Objects.requireNonNull(logger, "logger must not be null");
      requireUnset(this.logger, "logger");
      this.logger = logger;
      return this;
    }

    private static void requireUnset(@Nullable Object current, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set to " + current);
      }
    }

    /** The sink. */
    public Slf4jAuditSink build() {
      return new Slf4jAuditSink(
          logger == null ? LoggerFactory.getLogger(LOGGER_NAME) : logger,
          clock == null ? Clock.systemUTC() : clock,
          denialWindow == null ? DEFAULT_DENIAL_WINDOW : denialWindow,
          MAX_TRACKED_KEYS);
    }
  }
}
