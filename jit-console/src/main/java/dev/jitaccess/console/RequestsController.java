package dev.jitaccess.console;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Governance;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pending access requests, oldest first, with approve and reject (a reason required). The
 * governance decides who may: it refuses the requester and the subject ({@code SELF_APPROVAL}),
 * and the page says so. Request ids are shown as the governance shows them.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class RequestsController {
  private final Governance governance;
  private final ConsoleGate gate;
  private final ConsoleSettings settings;

  RequestsController(Governance governance, ConsoleGate gate, ConsoleSettings settings) {
    this.governance = governance;
    this.gate = gate;
    this.settings = settings;
  }

  @GetMapping({"", "/", "/requests"})
  ResponseEntity<String> pending(HttpServletRequest request, HttpServletResponse response) {
    return gate.page(request, response, "requests", actor -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (AccessRequest r : governance.pending(settings.pageSize())) {
        rows.add(row(r, actor));
      }
      return Map.of("requests", rows, "limit", settings.pageSize());
    });
  }

  @PostMapping("/requests/approve")
  ResponseEntity<String> approve(HttpServletRequest request,
      @RequestParam(name = "id", required = false) @Nullable String id) {
    return gate.action(request, "/requests", actor -> {
      String requestId = Forms.required(id, "Request id", 200);
      AccessRequest r = governance.approve(requestId, actor);
      return "You approved request " + r.id() + "; it is now " + r.state() + ".";
    });
  }

  @PostMapping("/requests/reject")
  ResponseEntity<String> reject(HttpServletRequest request,
      @RequestParam(name = "id", required = false) @Nullable String id,
      @RequestParam(name = "reason", required = false) @Nullable String reason) {
    return gate.action(request, "/requests", actor -> {
      String requestId = Forms.required(id, "Request id", 200);
      AccessRequest r = governance.reject(requestId, actor,
          Forms.required(reason, "A reason to reject", 1000));
      return "You rejected request " + r.id() + "; it is now " + r.state() + ".";
    });
  }

  private static Map<String, Object> row(AccessRequest r, String actor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("requester", r.requester());
    m.put("subject", r.subject());
    m.put("owner", r.owner());
    m.put("task", r.task());
    m.put("purpose", r.purpose());
    m.put("scope", r.scope().toString());
    m.put("lifetime", Views.duration(r.lifetime()));
    m.put("tier", r.tier());
    m.put("justification", r.justification());
    m.put("ticket", Views.text(r.ticket()));
    m.put("createdAt", Views.time(r.createdAt()));
    m.put("expiresAt", Views.time(r.expiresAt()));
    List<String> approvers = new ArrayList<>();
    for (Approval a : r.approvals()) {
      approvers.add(a.approver());
    }
    m.put("approvals", Views.joined(approvers));
    m.put("own", r.requester().equals(actor) || r.subject().equals(actor));
    return m;
  }
}
