package dev.jitaccess.governance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for tests: objects become maps, arrays lists, numbers {@code Long} or
 * {@code Double}. Anything malformed (a raw control character in a string, a bad escape, trailing
 * text) throws {@link IllegalArgumentException}, so a test that reads a document back proves it is
 * valid JSON.
 */
final class MiniJson {
  private final String s;
  private int i;

  private MiniJson(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object v = p.value();
    p.space();
    if (p.i != text.length()) {
      throw p.error("trailing text");
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v) {
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object v) {
    return (List<Object>) v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + i);
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private void expect(char c) {
    space();
    if (i >= s.length() || s.charAt(i) != c) {
      throw error("expected " + c);
    }
    i++;
  }

  private Object value() {
    space();
    if (i >= s.length()) {
      throw error("end of input");
    }
    char c = s.charAt(i);
    if (c == '{') {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      space();
      if (s.charAt(i) == '}') {
        i++;
        return m;
      }
      do {
        space();
        String key = string();
        expect(':');
        if (m.put(key, value()) != null) {
          throw error("duplicate key " + key);
        }
        space();
      } while (s.charAt(i++) == ',');
      if (s.charAt(i - 1) != '}') {
        throw error("expected }");
      }
      return m;
    }
    if (c == '[') {
      List<Object> l = new ArrayList<>();
      i++;
      space();
      if (s.charAt(i) == ']') {
        i++;
        return l;
      }
      do {
        l.add(value());
        space();
      } while (s.charAt(i++) == ',');
      if (s.charAt(i - 1) != ']') {
        throw error("expected ]");
      }
      return l;
    }
    if (c == '"') {
      return string();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (s.startsWith(word, i)) {
        i += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String n = s.substring(start, i);
    if (n.isEmpty()) {
      throw error("unexpected " + c);
    }
    if (n.contains(".") || n.contains("e") || n.contains("E")) {
      return Double.valueOf(n);
    }
    return Long.valueOf(n);
  }

  private String string() {
    if (s.charAt(i) != '"') {
      throw error("expected a string");
    }
    i++;
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("raw control character");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"': case '\\': case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
          break;
        default:
          throw error("bad escape \\" + e);
      }
    }
  }
}
