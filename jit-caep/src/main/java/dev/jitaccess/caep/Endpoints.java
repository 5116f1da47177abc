package dev.jitaccess.caep;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules for a receiver's push URL: absolute, {@code https}, a host, no user info and no
 * fragment. Plain {@code http} only when the application asked for it for tests and the host is a
 * loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}); the host is judged by
 * its text, never resolved. Stateless.
 */
final class Endpoints {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
  private static final int MAX_LENGTH = 2048;

  private Endpoints() {}

  /**
   * {@code endpoint}, checked.
   *
   * @throws IllegalArgumentException naming the rule the URL breaks (never quoting the URL, which
   *     may carry a secret in its query)
   */
  static URI check(URI endpoint, boolean insecureLocalhostForTests) {
    Objects.requireNonNull(endpoint, "endpoint must not be null");
    if (endpoint.toString().length() > MAX_LENGTH) {
      throw new IllegalArgumentException("endpoint must be at most " + MAX_LENGTH
          + " characters");
    }
    if (!endpoint.isAbsolute() || endpoint.isOpaque()) {
      throw new IllegalArgumentException("endpoint must be an absolute https URL");
    }
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    String host = endpoint.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("endpoint must name a host");
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("endpoint must not carry user info: give credentials "
          + "with authorization(...)");
    }
    if (endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException("endpoint must not have a fragment");
    }
    if (scheme.equals("https")) {
      return endpoint;
    }
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException("endpoint scheme must be https, was " + scheme);
    }
    if (!insecureLocalhostForTests) {
      throw new IllegalArgumentException("endpoint scheme must be https, was http: SETs are "
          + "signed, not encrypted, and a receiver's acknowledgement over plain http can be "
          + "forged (allowInsecureLocalhostForTests() permits http to a loopback host in tests)");
    }
    if (!isLoopback(host)) {
      throw new IllegalArgumentException("endpoint scheme must be https, was http to a host "
          + "that is not a loopback address; allowInsecureLocalhostForTests() permits only "
          + "localhost, 127.0.0.0/8 and [::1]");
    }
    return endpoint;
  }

  /** Judged by the text: {@code localhost}, an IPv4 loopback address, or {@code [::1]}. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches()
        || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
  }
}
