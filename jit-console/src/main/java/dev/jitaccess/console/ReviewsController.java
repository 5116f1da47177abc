package dev.jitaccess.console;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.ExposureQuery;
import dev.jitaccess.governance.ExposureRow;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.Review;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Break-glass grants awaiting their review, with the review action (confirm, or reject, which
 * revokes the grant), and a form to review any break-glass request by its id, for one whose grant
 * has already ended. The list reads the live grants of the exposure report whose origin is
 * break-glass and keeps those whose request has no review yet.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class ReviewsController {
  private final Governance governance;
  private final ConsoleGate gate;
  private final ConsoleSettings settings;

  ReviewsController(Governance governance, ConsoleGate gate, ConsoleSettings settings) {
    this.governance = governance;
    this.gate = gate;
    this.settings = settings;
  }

  @GetMapping("/reviews")
  ResponseEntity<String> awaiting(HttpServletRequest request, HttpServletResponse response) {
    return gate.page(request, response, "reviews", actor -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ExposureRow row : governance.exposure(ExposureQuery.all()).rows()) {
        if (row.origin() != ExposureRow.Origin.BREAK_GLASS || row.requestId() == null) {
          continue;
        }
        Optional<AccessRequest> r = governance.find(row.requestId());
        if (r.isPresent() && r.get().breakGlass() && r.get().review() == null) {
          rows.add(row(r.get(), row, actor));
        }
        if (rows.size() >= settings.pageSize()) {
          break;
        }
      }
      return Map.of("reviews", rows);
    });
  }

  @PostMapping("/reviews/review")
  ResponseEntity<String> review(HttpServletRequest request,
      @RequestParam(name = "id", required = false) @Nullable String id,
      @RequestParam(name = "verdict", required = false) @Nullable String verdict,
      @RequestParam(name = "note", required = false) @Nullable String note) {
    return gate.action(request, "/reviews", actor -> {
      String requestId = Forms.required(id, "Request id", 200);
      Review.Verdict v = verdict(verdict);
      AccessRequest r = governance.review(requestId, actor, v,
          Forms.required(note, "A review note", 1000));
      return "You reviewed break-glass request " + r.id() + ": " + v
          + (v == Review.Verdict.REJECTED ? "; its grant is revoked." : ".");
    });
  }

  private static Review.Verdict verdict(@Nullable String value) {
    String v = Forms.required(value, "Verdict", 20).toUpperCase(Locale.ROOT);
    if (v.equals(Review.Verdict.CONFIRMED.name())) {
      return Review.Verdict.CONFIRMED;
    }
    if (v.equals(Review.Verdict.REJECTED.name())) {
      return Review.Verdict.REJECTED;
    }
    throw new ConsoleInputException("Verdict must be CONFIRMED or REJECTED.");
  }

  private static Map<String, Object> row(AccessRequest r, ExposureRow grant, String actor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("reference", grant.reference());
    m.put("requester", r.requester());
    m.put("subject", r.subject());
    m.put("owner", r.owner());
    m.put("task", r.task());
    m.put("scope", r.scope().toString());
    m.put("tier", r.tier());
    m.put("justification", r.justification());
    m.put("takenAt", Views.time(grant.issuedAt()));
    m.put("remaining", Views.duration(grant.remaining()));
    m.put("reviewDue", Views.time(r.reviewDue()));
    m.put("own", r.requester().equals(actor) || r.subject().equals(actor));
    return m;
  }
}
