package dev.jitaccess.governance.spi;

/**
 * Tells people of emergencies: e-mail, chat, paging. Called after the change it reports is
 * stored; an exception thrown here is logged and changes nothing. Must be thread-safe.
 */
@FunctionalInterface
public interface Notifier {
  /** Delivers {@code notification} to its recipients. */
  void notify(Notification notification);
}
