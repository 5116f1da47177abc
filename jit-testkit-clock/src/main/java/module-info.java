/** A fake clock that also schedules, for deterministic expiry tests. */
module dev.jitaccess.testkit.time {
  requires transitive dev.jitaccess;
  requires static transitive org.jspecify;

  exports dev.jitaccess.testkit.time;
}
