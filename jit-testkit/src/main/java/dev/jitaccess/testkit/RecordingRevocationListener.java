package dev.jitaccess.testkit;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RevocationListener} that remembers every grant it was told about, to check that
 * teardown happened when it should: right after {@code clock.advance(ttl)} returns, the expired
 * grant is in {@link #revocations()} with {@link RevocationReason#EXPIRED}.
 *
 * <p>Thread-safe: the runtime may call it from any thread; the queries return snapshots in the
 * order the calls took effect.
 */
public final class RecordingRevocationListener implements RevocationListener {
  private final Object lock = new Object();
  private final List<Revocation> revocations = new ArrayList<>();

  /** A listener that has heard nothing yet. */
  public RecordingRevocationListener() {}

  @Override
  public void onRevocation(Grant grant, RevocationReason reason) {
    Revocation revocation = new Revocation(grant, reason);
    synchronized (lock) {
      revocations.add(revocation);
    }
  }

  /** Every call so far, oldest first. */
  public List<Revocation> revocations() {
    synchronized (lock) {
      return List.copyOf(revocations);
    }
  }

  /** The reason the grant {@code grantId} was reported with, if it was reported. */
  public Optional<RevocationReason> reasonFor(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    for (Revocation r : revocations()) {
      if (r.grant().id().equals(grantId)) {
        return Optional.of(r.reason());
      }
    }
    return Optional.empty();
  }

  /** The reason {@code grant} was reported with, if it was reported. */
  public Optional<RevocationReason> reasonFor(Grant grant) {
    return reasonFor(Objects.requireNonNull(grant, "grant must not be null").id());
  }

  /** How many times the grant {@code grantId} was reported (the runtime promises at most once). */
  public int timesReported(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    int count = 0;
    for (Revocation r : revocations()) {
      if (r.grant().id().equals(grantId)) {
        count++;
      }
    }
    return count;
  }

  /** How many calls there were. */
  public int size() {
    synchronized (lock) {
      return revocations.size();
    }
  }

  /** Forgets every call. */
  public void clear() {
    synchronized (lock) {
      revocations.clear();
    }
  }

  @Override
  public String toString() {
    return "RecordingRevocationListener[" + size() + " revocations]";
  }

  /**
   * One call: the grant in its terminal state and the reason given. Immutable and thread-safe.
   *
   * @param grant the grant as reported
   * @param reason the reason reported
   */
  public record Revocation(Grant grant, RevocationReason reason) {
    /** Checks that both are present. */
    public Revocation {
      Objects.requireNonNull(grant, "grant must not be null");
      Objects.requireNonNull(reason, "reason must not be null");
    }
  }
}
