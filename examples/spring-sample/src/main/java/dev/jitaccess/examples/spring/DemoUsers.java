package dev.jitaccess.examples.spring;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's people, each with a password drawn at start and printed once: {@code rita} asks for
 * access; {@code alice} (team blue, also an operator of the Actuator endpoint) and {@code bob}
 * (team green) approve in the console. Immutable.
 */
final class DemoUsers {
  /** The role the console asks for ({@code jit.console.role}). */
  static final String CONSOLE_ROLE = "JIT_CONSOLE";
  /** The role the {@code jitaccess} Actuator endpoint asks for. */
  static final String OPERATOR_ROLE = "OPERATOR";
  /** The role of people who only ask for access. */
  static final String REQUESTER_ROLE = "REQUESTER";

  /** A demo person: name, what they do, their roles. */
  record Person(String name, String does, List<String> roles) {}

  static final List<Person> PEOPLE = List.of(
      new Person("rita", "asks for access", List.of(REQUESTER_ROLE)),
      new Person("alice", "approves (team blue), operates the Actuator endpoint",
          List.of(CONSOLE_ROLE, OPERATOR_ROLE)),
      new Person("bob", "approves (team green)", List.of(CONSOLE_ROLE)));

  private final Map<String, String> passwords = new LinkedHashMap<>();

  DemoUsers(SecureRandom random) {
    for (Person p : PEOPLE) {
      byte[] bytes = new byte[12];
      random.nextBytes(bytes);
      passwords.put(p.name(), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
  }

  /** The password {@code name} signs in with. */
  String password(String name) {
    return Objects.requireNonNull(passwords.get(name), () -> "no demo user " + name);
  }
}
