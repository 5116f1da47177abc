package dev.jitaccess.core;

import dev.jitaccess.Grant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory store on the runtime's clock and scheduler whose calls of one kind throw while
 * failures are armed: the next {@code n} such calls ({@link #failNext}), none by default. An
 * insert that fails has stored its grant first, as a store whose acknowledgement is lost would.
 */
final class FailingGrantStore extends ForwardingGrantStore {
  /** The kinds of call that can be made to fail. */
  enum Call { INSERT, GET, COMPARE_AND_SET, FIND_BY_PARENT }

  private final Call failing;
  private final Supplier<? extends Throwable> failure;
  private final AtomicInteger armed = new AtomicInteger();
  private volatile @Nullable Grant lastInserted;

  FailingGrantStore(JitAccessBuilder b, Call failing, Supplier<? extends Throwable> failure) {
    super(InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build());
    this.failing = failing;
    this.failure = failure;
  }

  /** The next {@code calls} calls of the kind throw; {@link Integer#MAX_VALUE} for all of them. */
  void failNext(int calls) {
    armed.set(calls);
  }

  /** The grant the last insert stored, failed or not. */
  @Nullable Grant lastInserted() {
    return lastInserted;
  }

  private void maybeFail(Call call) {
    if (call == failing && armed.getAndUpdate(n -> n == 0 ? 0 : n - 1) > 0) {
      throw Fixture.unchecked(failure.get());
    }
  }

  @Override
  public void insert(Grant grant) {
    super.insert(grant);
    lastInserted = grant;
    maybeFail(Call.INSERT);
  }

  @Override
  public @Nullable Grant get(String id) {
    maybeFail(Call.GET);
    return super.get(id);
  }

  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    maybeFail(Call.COMPARE_AND_SET);
    return super.compareAndSet(expected, replacement);
  }

  @Override
  public Collection<Grant> findByParent(String parentId) {
    maybeFail(Call.FIND_BY_PARENT);
    return super.findByParent(parentId);
  }
}
