package dev.jitaccess.console;

/** A form field the console refuses before asking the library: the message names the field. */
final class ConsoleInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConsoleInputException(String message) {
    super(message);
  }
}
