package dev.jitaccess.policy.cel;

import dev.jitaccess.policy.cel.CelPolicyException.Kind;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a policy file: YAML, strictly. The file is composed into nodes, never constructed into
 * objects, so no tag can instantiate a class and every scalar is read as the text written
 * ({@code on} stays {@code "on"}). Refused, each with the source, line, column, field and rule:
 * a file over {@value #MAX_FILE_BYTES} bytes or not UTF-8, more than one document, any anchor or
 * alias (found in the event stream before any node is composed, so no alias bomb ever expands),
 * explicit tags, nesting deeper than {@value #MAX_NESTING}, unknown,
 * duplicate and missing keys, values of the wrong kind, and names, codes and messages the
 * builder would refuse.
 *
 * <pre>{@code
 * version: 1
 * rules:
 *   - name: ticket-required
 *     appliesTo: requests          # requests, renewals or all (the default)
 *     condition: request.ticket != ''
 *     reason: TICKET_REQUIRED
 *     message: a change ticket is required
 * narrowings:
 *   - name: contractors-short
 *     lifetime: "request.tier == 'contractor' ? duration('15m') : request.lifetime"
 *   - name: no-delete
 *     scope: "request.scope.filter(p, !p.startsWith('delete:'))"
 * }</pre>
 */
final class PolicyFile {
  /** The largest policy file, in bytes (and in characters, for text). */
  static final int MAX_FILE_BYTES = 256 * 1024;
  /** The deepest nesting of collections in a policy file. */
  static final int MAX_NESTING = 8;

  private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL,
      Tag.TIMESTAMP);
  private static final Set<String> TOP = Set.of("version", "rules", "narrowings");
  private static final Set<String> RULE = Set.of("name", "appliesTo", "condition", "reason",
      "message");
  private static final Set<String> NARROWING = Set.of("name", "lifetime", "scope");

  private final String source;

  private PolicyFile(String source) {
    this.source = source;
  }

  static List<Rule> read(Path file) throws IOException {
    String name = String.valueOf(file.getFileName());
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new CelPolicyException(Kind.FILE, null, 0, 0, name + ": the file is " + size
          + " bytes, over the limit of " + MAX_FILE_BYTES);
    }
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CelPolicyException(Kind.FILE, null, 0, 0, name + ": the file is not UTF-8");
    }
    return parse(name, text);
  }

  static List<Rule> parse(String source, String text) {
    if (text.length() > MAX_FILE_BYTES) {
      throw new CelPolicyException(Kind.FILE, null, 0, 0, source + ": the text is "
          + text.length() + " characters, over the limit of " + MAX_FILE_BYTES);
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(0);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_FILE_BYTES);
    Node root;
    try {
      Yaml yaml = new Yaml(options);
      refuseAnchors(source, yaml.parse(new StringReader(text)));
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      int column = mark == null ? 0 : mark.getColumn() + 1;
      throw new CelPolicyException(Kind.FILE, null, line, column, source + ":" + line + ":"
          + column + ": not a single well-formed YAML document: " + firstLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new CelPolicyException(Kind.FILE, null, 0, 0, source
          + ": not a single well-formed YAML document: " + firstLine(e.getMessage()));
    }
    if (root == null) {
      throw new CelPolicyException(Kind.FILE, null, 1, 1, source + ":1:1: the file is empty");
    }
    return new PolicyFile(source).policy(root);
  }

  /**
   * Refuses the first anchor or alias, before anything is composed: an alias bomb is refused at
   * its first anchor, and no alias is ever expanded.
   */
  private static void refuseAnchors(String source, Iterable<Event> events) {
    for (Event event : events) {
      String anchor = event instanceof NodeEvent ? ((NodeEvent) event).getAnchor() : null;
      if (anchor != null) {
        Mark mark = event.getStartMark();
        throw new CelPolicyException(Kind.FILE, null, mark.getLine() + 1, mark.getColumn() + 1,
            source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": anchors and "
                + "aliases are not allowed (the " + (event instanceof AliasEvent ? "alias *"
                : "anchor &") + shorten(anchor) + ")");
      }
    }
  }

  private List<Rule> policy(Node root) {
    Map<String, NodeTuple> top = mapping(root, "the file", null, TOP);
    ScalarNode version = scalar(require(top, "version", root, "the file", null), "version", null);
    if (!version.getValue().equals("1")) {
      throw fail(version, null, "version must be 1, was '" + shorten(version.getValue()) + "'");
    }
    List<Rule> rules = new ArrayList<>();
    Map<String, Node> seen = new HashMap<>();
    for (Node item : sequence(require(top, "rules", root, "the file", null), "rules")) {
      String field = "rules[" + rules.size() + "]";
      rules.add(rule(item, field, seen));
    }
    NodeTuple narrowings = top.get("narrowings");
    if (narrowings != null) {
      int i = 0;
      for (Node item : sequence(narrowings.getValueNode(), "narrowings")) {
        rules.add(narrowing(item, "narrowings[" + i++ + "]", seen));
      }
    }
    return rules;
  }

  private Rule rule(Node node, String field, Map<String, Node> seen) {
    Map<String, NodeTuple> keys = mapping(node, field, null, RULE);
    ScalarNode nameNode = scalar(require(keys, "name", node, field, null), field + ".name", null);
    String name = name(nameNode, field, seen);
    AppliesTo appliesTo = AppliesTo.ALL;
    NodeTuple applies = keys.get("appliesTo");
    if (applies != null) {
      ScalarNode value = scalar(applies.getValueNode(), field + ".appliesTo", name);
      try {
        appliesTo = AppliesTo.valueOf(value.getValue().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw fail(value, name, field + ".appliesTo must be requests, renewals or all, was '"
            + shorten(value.getValue()) + "'");
      }
    }
    ScalarNode condition = text(keys, "condition", node, field, name, Rule::checkExpression);
    ScalarNode reason = text(keys, "reason", node, field, name, Rule::checkReason);
    ScalarNode message = text(keys, "message", node, field, name, Rule::checkMessage);
    return new Rule(name, appliesTo, condition.getValue(), reason.getValue(), message.getValue(),
        null, origin(condition));
  }

  private Rule narrowing(Node node, String field, Map<String, Node> seen) {
    Map<String, NodeTuple> keys = mapping(node, field, null, NARROWING);
    ScalarNode nameNode = scalar(require(keys, "name", node, field, null), field + ".name", null);
    String name = name(nameNode, field, seen);
    boolean lifetime = keys.containsKey("lifetime");
    if (lifetime == keys.containsKey("scope")) {
      throw fail(node, name, field + " (narrowing '" + name + "') must have exactly one of the "
          + "fields lifetime and scope");
    }
    String key = lifetime ? "lifetime" : "scope";
    ScalarNode expression = text(keys, key, node, field, name, Rule::checkExpression);
    return new Rule(name, lifetime ? AppliesTo.ALL : AppliesTo.REQUESTS, expression.getValue(),
        "", "", lifetime ? Rule.Narrowing.LIFETIME : Rule.Narrowing.SCOPE, origin(expression));
  }

  private String name(ScalarNode node, String field, Map<String, Node> seen) {
    String name = node.getValue();
    String problem = Rule.checkName(name);
    if (problem != null) {
      throw fail(node, null, field + ".name " + problem);
    }
    Node first = seen.putIfAbsent(name, node);
    if (first != null) {
      throw fail(node, name, field + ".name '" + name + "' is already the name of the rule or "
          + "narrowing at line " + (first.getStartMark().getLine() + 1));
    }
    return name;
  }

  /** A required string field, checked by {@code check}. */
  private ScalarNode text(Map<String, NodeTuple> keys, String key, Node owner, String field,
      String rule, Function<String, @Nullable String> check) {
    ScalarNode value = scalar(require(keys, key, owner, field, rule), field + "." + key, rule);
    String problem = check.apply(value.getValue());
    if (problem != null) {
      throw fail(value, rule, field + "." + key + " (rule '" + rule + "') " + problem);
    }
    return value;
  }

  private Map<String, NodeTuple> mapping(Node node, String field, @Nullable String rule,
      Set<String> allowed) {
    checkPlain(node, field, rule);
    if (!(node instanceof MappingNode)) {
      throw fail(node, rule, field + " must be a mapping with the keys " + sorted(allowed)
          + ", was " + kind(node));
    }
    Map<String, NodeTuple> keys = new LinkedHashMap<>();
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      ScalarNode key = scalar(tuple.getKeyNode(), field + " key", rule);
      String name = key.getValue();
      if (!allowed.contains(name)) {
        throw fail(key, rule, field + " has an unknown key '" + shorten(name)
            + "'; the keys are " + sorted(allowed));
      }
      if (keys.put(name, tuple) != null) {
        throw fail(key, rule, field + " has the key '" + name + "' twice");
      }
    }
    return keys;
  }

  private List<Node> sequence(Node node, String field) {
    checkPlain(node, field, null);
    if (!(node instanceof SequenceNode)) {
      throw fail(node, null, field + " must be a list, was " + kind(node));
    }
    return ((SequenceNode) node).getValue();
  }

  private ScalarNode scalar(Node node, String field, @Nullable String rule) {
    checkPlain(node, field, rule);
    if (!(node instanceof ScalarNode) || !SCALAR_TAGS.contains(node.getTag())) {
      throw fail(node, rule, field + (rule == null ? "" : " (rule '" + rule + "')")
          + " must be a string, was " + kind(node));
    }
    return (ScalarNode) node;
  }

  /** The value of a required key. */
  private Node require(Map<String, NodeTuple> keys, String key, Node owner, String field,
      @Nullable String rule) {
    NodeTuple tuple = keys.get(key);
    if (tuple == null) {
      throw fail(owner, rule, field + (rule == null ? "" : " (rule '" + rule + "')")
          + " is missing the field '" + key + "'");
    }
    return tuple.getValueNode();
  }

  /**
   * Refuses anchors (hence aliases, which reuse the anchored node), which {@link #refuseAnchors}
   * has already refused, and explicit tags on collections.
   */
  private void checkPlain(Node node, String field, @Nullable String rule) {
    if (node.getAnchor() != null) {
      throw fail(node, rule, field + ": anchors and aliases are not allowed");
    }
    if (!(node instanceof ScalarNode) && !node.getTag().equals(Tag.MAP)
        && !node.getTag().equals(Tag.SEQ)) {
      throw fail(node, rule, field + ": explicit tags are not allowed");
    }
  }

  private static String kind(Node node) {
    if (node instanceof ScalarNode) {
      return node.getTag().equals(Tag.NULL) ? "empty" : "a value tagged " + node.getTag();
    }
    return node instanceof MappingNode ? "a mapping" : "a list";
  }

  private String origin(Node node) {
    Mark mark = node.getStartMark();
    return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  private CelPolicyException fail(Node node, @Nullable String rule, String message) {
    Mark mark = node.getStartMark();
    return new CelPolicyException(Kind.FILE, rule, mark.getLine() + 1, mark.getColumn() + 1,
        origin(node) + ": " + message);
  }

  private static String sorted(Set<String> keys) {
    return String.join(", ", new TreeSet<>(keys));
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static String shorten(String text) {
    String s = text.length() <= 64 ? text : text.substring(0, 61) + "...";
    return s.replace("\n", "\\n").replace("\r", "\\r");
  }
}
