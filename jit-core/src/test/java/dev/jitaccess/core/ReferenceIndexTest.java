package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReferenceIndexTest {
  @Test
  void aLookupDuringTheBuildWaitsForItAndFindsAGrantInsertedBeforeIt() throws Exception {
    Instant now = Instant.parse("2026-03-14T09:26:53Z");
    Grant grant = Grant.builder().id("AAAAAAAAAAAAAAAAAAAAAA").subject("s").owner("o").task("t")
        .purpose("p").scope(Scope.parse("read:x")).issuedAt(now)
        .expiresAt(now.plus(Duration.ofMinutes(1))).notAfter(now.plus(Duration.ofMinutes(1)))
        .build();
    Map<String, Grant> store = Map.of(grant.id(), grant);
    ReferenceIndex index = new ReferenceIndex();
    index.added(grant); // inserted before any lookup: not indexed yet
    CountDownLatch scanning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Grant> builder = CompletableFuture.supplyAsync(() ->
        index.find("gr_nothing", store::get, each -> {
          scanning.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          store.values().forEach(each);
        }));
    scanning.await();
    CompletableFuture<Grant> lookup = new CompletableFuture<>();
    Thread reader = new Thread(() -> lookup.complete(
        index.find(grant.reference(), store::get, each -> store.values().forEach(each))));
    reader.start();
    while (!lookup.isDone() && reader.getState() != Thread.State.BLOCKED) {
      Thread.onSpinWait();
    }
    release.countDown();
    assertEquals(grant, lookup.get(10, TimeUnit.SECONDS),
        "the lookup must not read the index before the build has scanned the grant");
    builder.get(10, TimeUnit.SECONDS);
  }
}
