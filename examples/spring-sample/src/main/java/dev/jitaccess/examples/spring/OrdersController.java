package dev.jitaccess.examples.spring;

import dev.jitaccess.web.AllowedRequest;
import dev.jitaccess.web.RequiresGrant;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The orders API. Each handler names the permission it needs; the starter's interceptor checks
 * the request's access token for it before the handler runs (401 without a valid token, 403
 * without the permission), and hands the handler who was allowed.
 */
@RestController
class OrdersController {
  private static final Pattern STATUS = Pattern.compile("[A-Z_]{1,32}");
  private final OrderBook orders;

  OrdersController(OrderBook orders) {
    this.orders = orders;
  }

  @GetMapping("/api/orders/{id}")
  @RequiresGrant(action = "read", resource = "orders/{id}")
  ResponseEntity<Map<String, Object>> read(@PathVariable("id") String id,
      HttpServletRequest request) {
    AllowedRequest allowed = (AllowedRequest) request.getAttribute(AllowedRequest.ATTRIBUTE);
    return orders.find(id)
        .map(o -> ResponseEntity.ok(Map.<String, Object>of("id", o.id(), "item", o.item(),
            "status", o.status(), "readBy", allowed.subject(), "grant", allowed.grantReference())))
        .orElseGet(() -> ResponseEntity.notFound().build());
  }

  @PutMapping("/api/orders/{id}")
  @RequiresGrant(action = "write", resource = "orders/{id}")
  ResponseEntity<Map<String, Object>> setStatus(@PathVariable("id") String id,
      @RequestParam(name = "status") String status) {
    if (!STATUS.matcher(status).matches()) {
      return ResponseEntity.badRequest().body(Map.of("error",
          "status must be 1 to 32 of A-Z and _"));
    }
    return orders.setStatus(id, status)
        .map(o -> ResponseEntity.ok(Map.<String, Object>of("id", o.id(), "status", o.status())))
        .orElseGet(() -> ResponseEntity.notFound().build());
  }
}
