package dev.jitaccess.postgres;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.AccessRequestBuilder;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Rejection;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.Review;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An access request as a row of {@code access_requests} and back: every field, instants and the
 * lifetime as seconds and nanoseconds, the scope as its text, the review as four columns, and
 * {@link AccessRequest#deadline()} as {@code deadline_s, deadline_n}. Approvals and rejections
 * travel as parallel arrays, one element per row of their tables, in order.
 */
final class RequestRows {
  /** The columns written, in the order {@link #bind} binds them; {@code id} first. */
  static final List<String> COLUMNS = List.of("id", "requester", "issuer", "subject", "owner",
      "task", "purpose", "scope", "lifetime_s", "lifetime_n", "tier", "rule", "justification",
      "ticket", "start_at_s", "start_at_n", "created_at_s", "created_at_n", "expires_at_s",
      "expires_at_n", "state", "activate_by_s", "activate_by_n", "grant_id", "break_glass",
      "review_due_s", "review_due_n", "reviewer", "review_verdict", "review_note", "review_at_s",
      "review_at_n", "closed_at_s", "closed_at_n", "version", "deadline_s", "deadline_n");

  /** The columns {@link #read} reads before the decision arrays: all but the deadline. */
  static final int READ_COLUMNS = COLUMNS.size() - 2;

  private RequestRows() {}

  /**
   * Checks that PostgreSQL can hold every text of {@code r} as it is, so that nothing is stored
   * altered: the driver would send an unpaired surrogate as {@code ?}, and a text column refuses
   * NUL.
   *
   * @throws IllegalArgumentException naming the field, if one cannot be stored
   */
  static void checkStorable(AccessRequest r) {
    storable(r.id(), "id");
    storable(r.requester(), "requester");
    storable(r.issuer(), "issuer");
    storable(r.subject(), "subject");
    storable(r.owner(), "owner");
    storable(r.task(), "task");
    storable(r.purpose(), "purpose");
    storable(r.scope().toString(), "scope");
    storable(r.tier(), "tier");
    storable(r.rule(), "rule");
    storable(r.justification(), "justification");
    storable(r.ticket(), "ticket");
    storable(r.grantId(), "grantId");
    for (Approval a : r.approvals()) {
      storable(a.approver(), "approvals[].approver");
      storable(a.team(), "approvals[].team");
    }
    for (Rejection j : r.rejections()) {
      storable(j.approver(), "rejections[].approver");
      storable(j.reason(), "rejections[].reason");
    }
    Review review = r.review();
    if (review != null) {
      storable(review.reviewer(), "review.reviewer");
      storable(review.note(), "review.note");
    }
  }

  /**
   * Checks that PostgreSQL can hold {@code text} as it is.
   *
   * @throws IllegalArgumentException naming {@code field}, if it cannot
   */
  static void storable(@Nullable String text, String field) {
    if (text != null && !isStorable(text)) {
      throw new IllegalArgumentException(field + " must not hold NUL or an unpaired surrogate, "
          + "which PostgreSQL cannot store as they are");
    }
  }

  /** Whether PostgreSQL can hold {@code text} as it is: no NUL, no unpaired surrogate. */
  static boolean isStorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** Binds every column of {@code r}, in {@link #COLUMNS} order, from {@code first} on. */
  static int bind(PreparedStatement s, int first, AccessRequest r) throws SQLException {
    int i = first;
    s.setString(i++, r.id());
    s.setString(i++, r.requester());
    text(s, i++, r.issuer());
    s.setString(i++, r.subject());
    s.setString(i++, r.owner());
    s.setString(i++, r.task());
    s.setString(i++, r.purpose());
    s.setString(i++, r.scope().toString());
    s.setLong(i++, r.lifetime().getSeconds());
    s.setInt(i++, r.lifetime().getNano());
    s.setString(i++, r.tier());
    s.setString(i++, r.rule());
    s.setString(i++, r.justification());
    text(s, i++, r.ticket());
    i = instant(s, i, r.startAt());
    i = instant(s, i, r.createdAt());
    i = instant(s, i, r.expiresAt());
    s.setString(i++, r.state().name());
    i = instant(s, i, r.activateBy());
    text(s, i++, r.grantId());
    s.setBoolean(i++, r.breakGlass());
    i = instant(s, i, r.reviewDue());
    Review review = r.review();
    text(s, i++, review == null ? null : review.reviewer());
    text(s, i++, review == null ? null : review.verdict().name());
    text(s, i++, review == null ? null : review.note());
    i = instant(s, i, review == null ? null : review.at());
    i = instant(s, i, r.closedAt());
    s.setLong(i++, r.version());
    return instant(s, i, r.deadline());
  }

  /**
   * Binds the approvals of {@code r} as four arrays (approver, team, seconds, nanoseconds), then
   * its rejections as four (approver, reason, seconds, nanoseconds), from {@code first} on.
   */
  static int bindDecisions(Connection c, PreparedStatement s, int first, AccessRequest r)
      throws SQLException {
    List<Approval> approvals = r.approvals();
    String[] approvers = new String[approvals.size()];
    String[] teams = new String[approvals.size()];
    Long[] approvedS = new Long[approvals.size()];
    Integer[] approvedN = new Integer[approvals.size()];
    for (int k = 0; k < approvals.size(); k++) {
      Approval a = approvals.get(k);
      approvers[k] = a.approver();
      teams[k] = a.team();
      approvedS[k] = a.at().getEpochSecond();
      approvedN[k] = a.at().getNano();
    }
    List<Rejection> rejections = r.rejections();
    String[] rejecters = new String[rejections.size()];
    String[] reasons = new String[rejections.size()];
    Long[] rejectedS = new Long[rejections.size()];
    Integer[] rejectedN = new Integer[rejections.size()];
    for (int k = 0; k < rejections.size(); k++) {
      Rejection j = rejections.get(k);
      rejecters[k] = j.approver();
      reasons[k] = j.reason();
      rejectedS[k] = j.at().getEpochSecond();
      rejectedN[k] = j.at().getNano();
    }
    int i = first;
    s.setArray(i++, c.createArrayOf("text", approvers));
    s.setArray(i++, c.createArrayOf("text", teams));
    s.setArray(i++, c.createArrayOf("bigint", approvedS));
    s.setArray(i++, c.createArrayOf("integer", approvedN));
    s.setArray(i++, c.createArrayOf("text", rejecters));
    s.setArray(i++, c.createArrayOf("text", reasons));
    s.setArray(i++, c.createArrayOf("bigint", rejectedS));
    s.setArray(i++, c.createArrayOf("integer", rejectedN));
    return i;
  }

  private static void text(PreparedStatement s, int index, @Nullable String text)
      throws SQLException {
    if (text == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, text);
    }
  }

  private static int instant(PreparedStatement s, int first, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      s.setNull(first, Types.BIGINT);
      s.setNull(first + 1, Types.INTEGER);
    } else {
      s.setLong(first, instant.getEpochSecond());
      s.setInt(first + 1, instant.getNano());
    }
    return first + 2;
  }

  /**
   * The request in the {@link #READ_COLUMNS} columns from 1 on, then the eight decision arrays.
   *
   * @throws GovernanceStoreException if they do not make a valid request
   */
  static AccessRequest read(ResultSet row) throws SQLException {
    Reader in = new Reader(row);
    try {
      AccessRequestBuilder b = AccessRequest.builder().id(in.text()).requester(in.text())
          .issuer(in.text()).subject(in.text()).owner(in.text()).task(in.text())
          .purpose(in.text()).scope(Scope.parse(in.text())).lifetime(in.duration())
          .tier(in.text()).rule(in.text()).justification(in.text()).ticket(in.text())
          .startAt(in.instant()).createdAt(in.instant()).expiresAt(in.instant())
          .state(RequestState.valueOf(in.text())).activateBy(in.instant()).grantId(in.text())
          .breakGlass(in.bool()).reviewDue(in.instant());
      String reviewer = in.text();
      String verdict = in.text();
      String note = in.text();
      Instant reviewedAt = in.instant();
      if (verdict != null) {
        b.review(new Review(reviewer, Review.Verdict.valueOf(verdict), note, reviewedAt));
      }
      b.closedAt(in.instant()).version(in.number());
      List<Approval> approvals = new ArrayList<>();
      String[] approvers = in.array(String[].class);
      String[] teams = in.array(String[].class);
      Long[] approvedS = in.array(Long[].class);
      Integer[] approvedN = in.array(Integer[].class);
      for (int k = 0; k < approvers.length; k++) {
        approvals.add(new Approval(approvers[k], teams[k],
            Instant.ofEpochSecond(approvedS[k], approvedN[k])));
      }
      List<Rejection> rejections = new ArrayList<>();
      String[] rejecters = in.array(String[].class);
      String[] reasons = in.array(String[].class);
      Long[] rejectedS = in.array(Long[].class);
      Integer[] rejectedN = in.array(Integer[].class);
      for (int k = 0; k < rejecters.length; k++) {
        rejections.add(new Rejection(rejecters[k], reasons[k],
            Instant.ofEpochSecond(rejectedS[k], rejectedN[k])));
      }
      return b.approvals(approvals).rejections(rejections).build();
    } catch (RuntimeException invalid) {
      // The builder's and the records' messages name the field and the rule, never a grant id.
      throw new GovernanceStoreException(
          "a stored access request is not valid: " + invalid.getMessage(), invalid);
    }
  }

  /** Reads a row's columns one after the other. */
  private static final class Reader {
    private final ResultSet row;
    private int next = 1;

    Reader(ResultSet row) {
      this.row = row;
    }

    @Nullable String text() throws SQLException {
      return row.getString(next++);
    }

    long number() throws SQLException {
      return row.getLong(next++);
    }

    boolean bool() throws SQLException {
      return row.getBoolean(next++);
    }

    Duration duration() throws SQLException {
      long seconds = row.getLong(next++);
      return Duration.ofSeconds(seconds, row.getInt(next++));
    }

    /** Two columns, seconds and nanoseconds, or null if the seconds are. */
    @Nullable Instant instant() throws SQLException {
      long seconds = row.getLong(next++);
      boolean isNull = row.wasNull();
      int nanos = row.getInt(next++);
      return isNull ? null : Instant.ofEpochSecond(seconds, nanos);
    }

    <T> T array(Class<T> type) throws SQLException {
      Array array = row.getArray(next++);
      try {
        return type.cast(array.getArray());
      } finally {
        array.free();
      }
    }
  }
}
