package dev.jitaccess.caep;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a receiver's HTTP answer to one pushed SET means (RFC 8935, section 2):
 *
 * <ul>
 *   <li>{@code 202 Accepted}: delivered. Any other 2xx is not an acknowledgement RFC 8935 knows
 *       (a web page answering {@code 200} to anything, say): unrecoverable.
 *   <li>3xx: unrecoverable; redirects are never followed, so a receiver's URL cannot be moved
 *       to another host by whoever answers at it.
 *   <li>4xx with an RFC 8935 error body {@code {"err": ..., "description": ...}}: unrecoverable
 *       for that SET, except {@code invalid_key}, a retry (the receiver may not have fetched the
 *       JWK set since a rotation, and every retry is signed afresh). 4xx without one:
 *       unrecoverable, except {@code 408} and {@code 429}, retries.
 *   <li>5xx: retry. A {@code Retry-After} header is quoted in the cause.
 * </ul>
 *
 * <p>Text from the receiver is quoted only after cleaning: at most 200 characters, anything but
 * visible ASCII and space replaced by {@code ?}, and any run of 20 or more base64url characters
 * that mixes cases or letters and digits (the shape of a token, a SET part or a grant id) replaced
 * by {@code [redacted]}, so that a receiver that echoes what it got puts no secret into the
 * teardown ledger or a log. The {@code err} code is quoted as it is, once it matches {@code
 * [A-Za-z0-9_.-]{1,64}}. Stateless.
 */
final class PushResponses {
  /** RFC 8935 error codes after which the same SET, signed again, may be accepted. */
  private static final Set<String> RETRYABLE_ERRORS = Set.of("invalid_key");
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9_.\\-]{20,}");
  private static final int MAX_QUOTED = 200;

  private PushResponses() {}

  static Delivery classify(int status, HttpHeaders headers, byte[] body) {
    if (status == 202) {
      return Delivery.accepted(1);
    }
    if (status >= 200 && status < 300) {
      return Delivery.unrecoverable(status, "the receiver answered HTTP " + status
          + ", not 202 Accepted: RFC 8935 acknowledges a SET only with 202");
    }
    if (status >= 300 && status < 400) {
      return Delivery.unrecoverable(status, "the receiver redirected (HTTP " + status
          + "); redirects are never followed: configure the receiver's final URL");
    }
    if (status >= 400 && status < 500) {
      return clientError(status, headers, body);
    }
    if (status >= 500 && status < 600) {
      return Delivery.retry(status, "the receiver failed (HTTP " + status + ")"
          + retryAfter(headers));
    }
    return Delivery.unrecoverable(status, "the receiver answered HTTP " + status
        + ", which RFC 8935 does not define");
  }

  private static Delivery clientError(int status, HttpHeaders headers, byte[] body) {
    String[] error = errorBody(body);
    if (error != null) {
      String code = error[0];
      String cause = "the receiver refused the SET (HTTP " + status + "): err " + code
          + (error[1] == null ? "" : ", description \"" + error[1] + "\"");
      return RETRYABLE_ERRORS.contains(code)
          ? Delivery.retry(status, cause + "; its JWK set may predate a key rotation")
          : Delivery.unrecoverable(status, cause);
    }
    if (status == 408 || status == 429) {
      return Delivery.retry(status, "the receiver answered HTTP " + status + retryAfter(headers));
    }
    return Delivery.unrecoverable(status, "the receiver refused the SET (HTTP " + status
        + ") without an RFC 8935 error body");
  }

  /** The {@code err} and cleaned {@code description}, or null if not an RFC 8935 error body. */
  private static String @Nullable [] errorBody(byte[] body) {
    if (body.length == 0 || body.length >= PushClient.MAX_ERROR_BODY) {
      return null; // empty, or cut short: not a whole JSON object
    }
    Map<String, Object> json;
    try {
      json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException | StackOverflowError e) {
      return null;
    }
    Object err = json.get("err");
    if (!(err instanceof String) || !ERROR_CODE.matcher((String) err).matches()) {
      return null;
    }
    Object description = json.get("description");
    return new String[] {(String) err,
        description instanceof String ? clean((String) description) : null};
  }

  private static String retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After");
    return value.map(v -> "; Retry-After " + clean(v)).orElse("");
  }

  /** Visible ASCII only, long runs redacted, at most {@value #MAX_QUOTED} characters. */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED));
    for (int i = 0; i < text.length() && out.length() < MAX_QUOTED; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    String cleaned = redact(out.toString());
    return text.length() > MAX_QUOTED ? cleaned + "..." : cleaned;
  }

  /** Replaces each long run that looks random (mixed case, or letters and digits). */
  private static String redact(String text) {
    java.util.regex.Matcher m = LONG_RUN.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      String run = m.group();
      boolean upper = false;
      boolean lower = false;
      boolean digit = false;
      for (int i = 0; i < run.length(); i++) {
        char c = run.charAt(i);
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
      }
      if ((upper && lower) || ((upper || lower) && digit)) {
        out.append(text, last, m.start()).append("[redacted]");
        last = m.end();
      }
    }
    return out.append(text, last, text.length()).toString();
  }
}
