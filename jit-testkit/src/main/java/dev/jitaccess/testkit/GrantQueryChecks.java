package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of the queries by subject, owner, task and expiry, which {@link GrantStoreCompatibilityKit} runs as a nested class.
 */
abstract class GrantQueryChecks extends GrantStoreChecks {
  GrantQueryChecks(GrantStoreCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("find by subject, owner and task return exactly the matching grants")
  void findsBySubjectOwnerAndTask() {
    String subject = KitSupport.unique("subject");
    String owner = KitSupport.unique("owner");
    String task = KitSupport.unique("task");
    Grant a = newGrant(subject, owner, task, null, OptionalLong.empty());
    Grant b = newGrant(subject, KitSupport.unique("owner"), KitSupport.unique("task"), null,
        OptionalLong.empty());
    Grant c = newGrant(KitSupport.unique("subject"), owner, task, null, OptionalLong.empty());
    Grant other = newGrant();
    for (Grant g : List.of(a, b, c, other)) {
      store().insert(g);
    }
    assertEquals(Set.of(a.id(), b.id()), ids(store().findBySubject(subject)), "findBySubject");
    assertEquals(Set.of(a.id(), c.id()), ids(store().findByOwner(owner)), "findByOwner");
    assertEquals(Set.of(a.id(), c.id()), ids(store().findByTask(task)), "findByTask");
  }

  @Test
  @DisplayName("find by parent returns the direct children only")
  void findsByParent() {
    Grant parent = newGrant();
    store().insert(parent);
    Grant child1 = newGrant(KitSupport.unique("child"), parent.owner(), parent.task(),
        parent.id(), OptionalLong.empty());
    Grant child2 = newGrant(KitSupport.unique("child"), parent.owner(), parent.task(),
        parent.id(), OptionalLong.empty());
    store().insert(child1);
    store().insert(child2);
    Grant grandchild = newGrant(KitSupport.unique("grandchild"), parent.owner(), parent.task(),
        child1.id(), OptionalLong.empty());
    store().insert(grandchild);
    assertEquals(Set.of(child1.id(), child2.id()), ids(store().findByParent(parent.id())));
    assertEquals(Set.of(grandchild.id()), ids(store().findByParent(child1.id())));
    assertEquals(Set.of(), ids(store().findByParent(grandchild.id())));
  }

  @Test
  @DisplayName("queries for keys nobody used return nothing")
  void unknownKeysFindNothing() {
    assertTrue(store().findBySubject(KitSupport.unique("nobody")).isEmpty());
    assertTrue(store().findByOwner(KitSupport.unique("nobody")).isEmpty());
    assertTrue(store().findByTask(KitSupport.unique("nothing")).isEmpty());
    assertTrue(store().findByParent(KitSupport.newId()).isEmpty());
    assertNull(store().findByReference(GrantReference.of(KitSupport.newId())));
  }

  @Test
  @DisplayName("queries see every grant whose insert returned before they began")
  void queriesSeeEveryEarlierInsert() {
    String task = KitSupport.unique("task");
    Set<String> inserted = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Grant g = newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"), task, null,
          OptionalLong.empty());
      store().insert(g);
      inserted.add(g.id());
      assertTrue(ids(store().findByTask(task)).contains(g.id()), "insert " + i);
    }
    assertEquals(inserted, ids(store().findByTask(task)));
  }

  @Test
  @DisplayName("queries see every grant that racing inserts stored under one key")
  void queriesSeeEveryRacingInsert() {
    String subject = KitSupport.unique("subject");
    String owner = KitSupport.unique("owner");
    String task = KitSupport.unique("task");
    Grant parent = newGrant(subject, owner, task, null, OptionalLong.empty());
    store().insert(parent);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Callable<Set<String>>> inserters = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      inserters.add(() -> {
        Set<String> mine = new HashSet<>();
        start.await();
        for (int i = 0; i < 500; i++) {
          Grant g = newGrant(subject, owner, task, parent.id(), OptionalLong.empty());
          store().insert(g);
          mine.add(g.id());
        }
        return mine;
      });
    }
    Set<String> children = new HashSet<>();
    for (Set<String> mine : KitSupport.runConcurrently(inserters)) {
      children.addAll(mine);
    }
    assertEquals(children, ids(store().findByParent(parent.id())), "findByParent");
    Set<String> all = new HashSet<>(children);
    all.add(parent.id());
    assertEquals(all, ids(store().findBySubject(subject)), "findBySubject");
    assertEquals(all, ids(store().findByOwner(owner)), "findByOwner");
    assertEquals(all, ids(store().findByTask(task)), "findByTask");
  }

  @Test
  @DisplayName("queries still find a grant after its state changed")
  void queriesFindChangedGrants() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertTrue(store().compareAndSet(grant, revoked));
    Grant child = newGrant(grant.subject(), grant.owner(), grant.task(), grant.id(),
        OptionalLong.empty());
    store().insert(child);
    Grant endedChild = child.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED,
        clock().instant());
    assertTrue(store().compareAndSet(child, endedChild));
    for (Grant ended : List.of(grant, child)) {
      boolean held = store().get(ended.id()) != null;
      List<Collection<Grant>> answers = new ArrayList<>(List.of(
          store().findBySubject(ended.subject()), store().findByOwner(ended.owner()),
          store().findByTask(ended.task())));
      if (ended.parentId() != null) {
        answers.add(store().findByParent(ended.parentId()));
      }
      for (Collection<Grant> answer : answers) {
        if (held) {
          assertTrue(ids(answer).contains(ended.id()),
              "an ended grant the store still holds must be found by every query: " + ended);
        }
      }
    }
  }
}
