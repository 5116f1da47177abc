package dev.jitaccess.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Route groups map method and path patterns to an action and a resource. */
class RouteMapTest {
  private final RouteMap routes = RouteMap.builder()
      .guard("/orders").guard("/api/v1")
      .route("GET", "/orders/**", "read", "orders/**")
      .route("POST", "/orders/{id}", "write", "orders/{id}")
      .route("GET", "/api/v1/customers/{c}/orders/*", "read", "customers/{c}")
      .build();

  private ResourceTemplate.Resolved resolve(String method, String path) {
    return routes.resolve(method, RequestPath.parse(path).segments());
  }

  @Test
  void aTailRouteMapsTheMatchedSegmentsIntoTheResource() {
    assertEquals("orders/42/lines", resolve("GET", "/orders/42/lines").resource());
    assertEquals("orders", resolve("GET", "/orders").resource());
  }

  @Test
  void aPlaceholderIsFilledFromItsSegment() {
    ResourceTemplate.Resolved r = resolve("POST", "/orders/42");
    assertEquals("write", r.action());
    assertEquals("orders/42", r.resource());
    assertEquals("customers/c7", resolve("GET", "/api/v1/customers/c7/orders/9").resource());
  }

  @Test
  void methodsMatchExactlyAndUnmappedRequestsResolveToNothing() {
    assertNull(resolve("HEAD", "/orders/42"));
    assertNull(resolve("POST", "/orders/42/lines"));
    assertNull(resolve("GET", "/api/v1/customers/c7"));
  }

  @Test
  void guardsCoverThePrefixAndEverythingBelowItOnly() {
    assertTrue(routes.guards("/orders", null));
    assertTrue(routes.guards("/orders/1", null));
    assertTrue(routes.guards("/orders;x=1", null));
    assertTrue(routes.guards("/public/../orders/1", "/orders/1"));
    assertFalse(routes.guards("/ordersX", null));
    assertFalse(routes.guards("/public", "/public"));
    assertTrue(RouteMap.denyAll().guards("/anything", null));
  }

  @Test
  void malformedRoutesAreRefusedNamingTheRule() {
    RouteMap.Builder b = RouteMap.builder();
    assertEquals("resource uses {id}, which pathPattern '/orders/{x}' does not bind",
        assertThrows(IllegalArgumentException.class,
            () -> b.route("GET", "/orders/{x}", "read", "orders/{id}")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.route("get", "/o", "read", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "o", "read", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "/o", "re ad", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "/o", "read", "o/**"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "/o/**/x", "read", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "/o/{a}/{a}", "read", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.route("GET", "/o/..", "read", "o"));
    assertThrows(IllegalArgumentException.class, () -> b.guard("/orders/"));
    assertThrows(IllegalArgumentException.class, () -> b.guard("orders"));
  }

  @Test
  void aPlaceholderValueThatIsNoSegmentIsRefused() {
    ResourceTemplate t = ResourceTemplate.parse("orders/{id}", false, "resource");
    assertEquals(WebDenialCode.PLACEHOLDER_INVALID,
        t.fill("read", java.util.Map.of("id", "a/b"), List.of()).problem());
    assertEquals(WebDenialCode.PLACEHOLDER_INVALID,
        t.fill("read", java.util.Map.of("id", ".."), List.of()).problem());
    assertEquals(WebDenialCode.PLACEHOLDER_INVALID,
        t.fill("read", java.util.Map.of("id", "*"), List.of()).problem());
    assertEquals(WebDenialCode.ROUTE_MISCONFIGURED,
        t.fill("read", java.util.Map.of(), List.of()).problem());
  }
}
