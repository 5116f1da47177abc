package dev.jitaccess.examples.spring;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reports API, guarded as a route group: no annotation here; the starter's grant filter
 * enforces {@code jit.web.routes} for every request under {@code /api/reports} (GET {@code
 * /api/reports/{name}} needs {@code read} on {@code reports/{name}}) before Spring MVC sees it.
 */
@RestController
class ReportsController {
  private final OrderBook orders;

  ReportsController(OrderBook orders) {
    this.orders = orders;
  }

  @GetMapping("/api/reports/{name}")
  ResponseEntity<Map<String, Object>> report(@PathVariable("name") String name) {
    if (!name.equals("orders")) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok(Map.of("report", name, "orders", orders.size()));
  }
}
