package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A store that forwards every call to another, for tests that change one answer. */
class ForwardingGrantStore implements GrantStore {
  private final GrantStore inner;

  ForwardingGrantStore(GrantStore inner) {
    this.inner = inner;
  }

  @Override
  public void insert(Grant grant) {
    inner.insert(grant);
  }

  @Override
  public @Nullable Grant get(String id) {
    return inner.get(id);
  }

  @Override
  public @Nullable Grant getLatest(String id) {
    return inner.getLatest(id);
  }

  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    return inner.compareAndSet(expected, replacement);
  }

  @Override
  public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
    return inner.findActiveByExpiry(after, limit);
  }

  @Override
  public @Nullable Grant findByReference(String reference) {
    return inner.findByReference(reference);
  }

  @Override
  public Collection<Grant> findBySubject(String subject) {
    return inner.findBySubject(subject);
  }

  @Override
  public Collection<Grant> findByOwner(String owner) {
    return inner.findByOwner(owner);
  }

  @Override
  public Collection<Grant> findByTask(String task) {
    return inner.findByTask(task);
  }

  @Override
  public Collection<Grant> findByParent(String parentId) {
    return inner.findByParent(parentId);
  }
}
