package dev.jitaccess.examples.spring;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The demo's orders, in memory, keyed by id; starts with orders 1 to 3. Thread-safe. */
@Component
class OrderBook {
  /** An order: its id, what was ordered, its status. */
  record Order(String id, String item, String status) {}

  private final Map<String, Order> orders = new ConcurrentHashMap<>(Map.of(
      "1", new Order("1", "12 blue mugs", "PAID"),
      "2", new Order("2", "1 espresso machine", "SHIPPED"),
      "3", new Order("3", "40 kg of beans", "OPEN")));

  Optional<Order> find(String id) {
    return Optional.ofNullable(orders.get(id));
  }

  /** Sets the status of an existing order; empty when there is none. */
  Optional<Order> setStatus(String id, String status) {
    return Optional.ofNullable(orders.computeIfPresent(id,
        (k, o) -> new Order(o.id(), o.item(), status)));
  }

  int size() {
    return orders.size();
  }
}
