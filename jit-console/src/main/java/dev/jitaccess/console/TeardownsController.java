package dev.jitaccess.console;

import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Lingering teardowns (entries not settled whose grant ended more than a chosen time ago, oldest
 * first) with force-close, a reason required, when the application has a {@link Teardown} bean;
 * otherwise the page says there is none. Entries are named by grant reference and downstream; the
 * grant id a force-close needs is found on the server among the lingering entries.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class TeardownsController {
  static final Duration DEFAULT_OLDER_THAN = Duration.ofMinutes(10);
  /** How many lingering entries a force-close searches for the one named. */
  private static final int SEARCH = 10_000;

  private final ObjectProvider<Teardown> teardown;
  private final ConsoleGate gate;
  private final ConsoleSettings settings;

  TeardownsController(ObjectProvider<Teardown> teardown, ConsoleGate gate,
      ConsoleSettings settings) {
    this.teardown = teardown;
    this.gate = gate;
    this.settings = settings;
  }

  @GetMapping("/teardowns")
  ResponseEntity<String> lingering(HttpServletRequest request, HttpServletResponse response,
      @RequestParam(name = "olderThan", required = false) @Nullable String olderThan) {
    return gate.page(request, response, "teardowns", actor -> {
      Map<String, Object> vars = new LinkedHashMap<>();
      Teardown t = teardown.getIfAvailable();
      vars.put("configured", t != null);
      vars.put("olderThan", olderThan == null ? "10m" : olderThan.strip());
      List<Map<String, Object>> rows = new ArrayList<>();
      String error = "";
      if (t != null) {
        try {
          Duration after = Forms.duration(olderThan, "Ended more than", DEFAULT_OLDER_THAN);
          for (TeardownEntry e : t.lingering(after, settings.pageSize())) {
            rows.add(row(e));
          }
        } catch (ConsoleInputException bad) {
          error = bad.getMessage();
        }
      }
      vars.put("error", error);
      vars.put("entries", rows);
      return vars;
    });
  }

  @PostMapping("/teardowns/close")
  ResponseEntity<String> forceClose(HttpServletRequest request,
      @RequestParam(name = "reference", required = false) @Nullable String reference,
      @RequestParam(name = "downstream", required = false) @Nullable String downstream,
      @RequestParam(name = "reason", required = false) @Nullable String reason) {
    return gate.action(request, "/teardowns", actor -> {
      Teardown t = teardown.getIfAvailable();
      if (t == null) {
        throw new ConsoleInputException("This application has no teardown.");
      }
      String ref = Forms.required(reference, "Grant reference", 64);
      String name = Forms.required(downstream, "Downstream", 200);
      String why = Forms.required(reason, "A reason to close by force", 1000);
      for (TeardownEntry e : t.lingering(Duration.ZERO, SEARCH)) {
        if (e.grantReference().equals(ref) && e.downstream().equals(name)) {
          TeardownEntry closed = t.forceClose(e.grantId(), name, why, actor);
          return "You closed the teardown of grant " + ref + " at " + name + " by force; it is "
              + closed.state() + ".";
        }
      }
      throw new ConsoleInputException("No lingering teardown of grant " + ref + " at " + name
          + ": it may have settled meanwhile.");
    });
  }

  private static Map<String, Object> row(TeardownEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", e.grantReference());
    m.put("downstream", e.downstream());
    m.put("state", e.state().name());
    m.put("subject", e.subject());
    m.put("owner", e.owner());
    m.put("endReason", e.endReason().code());
    m.put("endedAt", Views.time(e.endedAt()));
    m.put("attempts", e.attempts());
    m.put("dueAt", Views.time(e.dueAt()));
    m.put("cause", Views.text(e.cause()));
    return m;
  }
}
