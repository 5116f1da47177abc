package dev.jitaccess.micrometer;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A grant store that forwards to another, counts the pages listed, and can be made to fail. */
final class CountingStore implements GrantStore {
  private final GrantStore delegate;
  private final AtomicInteger pages = new AtomicInteger();
  volatile boolean fail;

  CountingStore(GrantStore delegate) {
    this.delegate = delegate;
  }

  int pages() {
    return pages.get();
  }

  @Override
  public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
    pages.incrementAndGet();
    if (fail) {
      throw new IllegalStateException("database unreachable");
    }
    return delegate.findActiveByExpiry(after, limit);
  }

  @Override
  public void insert(Grant grant) {
    delegate.insert(grant);
  }

  @Override
  public @Nullable Grant get(String id) {
    return delegate.get(id);
  }

  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    return delegate.compareAndSet(expected, replacement);
  }

  @Override
  public @Nullable Grant findByReference(String reference) {
    return delegate.findByReference(reference);
  }

  @Override
  public Collection<Grant> findBySubject(String subject) {
    return delegate.findBySubject(subject);
  }

  @Override
  public Collection<Grant> findByOwner(String owner) {
    return delegate.findByOwner(owner);
  }

  @Override
  public Collection<Grant> findByTask(String task) {
    return delegate.findByTask(task);
  }

  @Override
  public Collection<Grant> findByParent(String parentId) {
    return delegate.findByParent(parentId);
  }
}
