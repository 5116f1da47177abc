package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value contract of {@link Scope}: building, limits, equality, and the subset answers. */
class ScopeContractTest {

  private static List<Permission> distinct(int count) {
    List<Permission> permissions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      permissions.add(Permission.parse("read:r" + i));
    }
    return permissions;
  }

  @Test
  void aScopeOfExactlyTheLimitIsBuiltAndOneMoreIsRejected() {
    assertEquals(Scope.MAX_PERMISSIONS, Scope.of(distinct(Scope.MAX_PERMISSIONS)).permissions()
        .size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scope.of(distinct(Scope.MAX_PERMISSIONS + 1)));
    assertEquals("scope must contain at most 256 permissions, had 257", e.getMessage());
    String[] texts = distinct(Scope.MAX_PERMISSIONS).stream().map(Permission::toString)
        .toArray(String[]::new);
    assertEquals(Scope.MAX_PERMISSIONS, Scope.parse(texts).permissions().size());
  }

  @Test
  void buildingFromPermissionsSortsAndDeduplicatesThem() {
    Permission b = Permission.parse("write:b");
    Permission a = Permission.parse("read:a");
    Scope scope = Scope.of(List.of(b, a, b));
    assertEquals("read:a write:b", scope.toString());
    assertEquals(List.of(a, b), new ArrayList<>(scope.permissions()));
    assertEquals(Scope.parse("read:a write:b"), scope);
  }

  @Test
  void theSetOfPermissionsCannotBeChangedThroughTheScope() {
    Scope scope = Scope.parse("read:a");
    Set<Permission> permissions = scope.permissions();
    assertThrows(UnsupportedOperationException.class,
        () -> permissions.add(Permission.parse("read:b")));
    assertEquals(Set.of(Permission.parse("read:a")), scope.permissions());
  }

  @Test
  void anArgumentOfOnlyWhitespaceAddsNothing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scope.parse(""));
    assertEquals("scope must contain at least one permission", e.getMessage());
    assertEquals(Scope.parse("read:a"), Scope.parse("", "read:a", " \n "));
  }

  @Test
  void nullsInsideACollectionAreRejectedNamingTheRule() {
    List<Permission> withNull = new ArrayList<>();
    withNull.add(Permission.parse("read:a"));
    withNull.add(null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> Scope.of(withNull));
    assertEquals("scope must not contain a null permission", e.getMessage());
    assertEquals("scope must not be null",
        assertThrows(NullPointerException.class, () -> Scope.of(null)).getMessage());
    assertEquals("parent must not be null", assertThrows(NullPointerException.class,
        () -> Scope.parse("read:a").notWithin(null)).getMessage());
  }

  @Test
  void equalScopesHaveEqualHashesAndDifferentOnesDiffer() {
    Scope scope = Scope.parse("read:a write:b");
    Scope same = Scope.parse("write:b", "read:a");
    assertEquals(scope, scope);
    assertEquals(scope, same);
    assertEquals(scope.hashCode(), same.hashCode());
    assertNotEquals(scope, Scope.parse("read:a"));
    assertNotEquals(scope.hashCode(), Scope.parse("read:a").hashCode());
    assertFalse(scope.equals(null));
    assertFalse(scope.equals("read:a write:b"));
  }

  @Test
  void aScopePermitsWhatAnyOfItsPermissionsPermitsAndNothingElse() {
    Scope scope = Scope.parse("read:a", "read:b", "write:c/*");
    assertTrue(scope.permits("read", "a"));
    assertTrue(scope.permits("read", "b"));
    assertTrue(scope.permits("write", "c/1"));
    assertFalse(scope.permits("read", "c/1"));
    assertFalse(scope.permits("write", "b"));
    assertFalse(scope.permits(null, "a"));
    assertFalse(scope.permits("read", null));
  }

  @Test
  void aScopeIsWithinItsParentOnlyIfEveryPermissionIs() {
    Scope parent = Scope.parse("read:a/**");
    assertTrue(Scope.parse("read:a/1", "read:a/2").isWithin(parent));
    assertFalse(Scope.parse("read:a/1", "read:b").isWithin(parent));
    assertFalse(Scope.parse("read:b", "read:a/1").isWithin(parent));
    assertEquals(List.of(Permission.parse("read:b")),
        Scope.parse("read:a/1", "read:b").notWithin(parent));
    assertEquals(List.of(), Scope.parse("read:a/1", "read:a/2").notWithin(parent));
    assertEquals(List.of(Permission.parse("read:b"), Permission.parse("write:a")),
        Scope.parse("read:b", "write:a", "read:a").notWithin(parent));
  }

  @Test
  void parsingStopsAtTheFirstPermissionPastTheLimit() {
    String[] texts = distinct(Scope.MAX_PERMISSIONS + 44).stream().map(Permission::toString)
        .toArray(String[]::new);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scope.parse(texts));
    assertEquals("scope must contain at most 256 permissions, had 257", e.getMessage());
    IllegalArgumentException joined = assertThrows(IllegalArgumentException.class,
        () -> Scope.parse(String.join(" ", texts)));
    assertEquals("scope must contain at most 256 permissions, had 257", joined.getMessage());
  }
}
