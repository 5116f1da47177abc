package dev.jitaccess.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A data source that can be cut off, as by a network partition: then it hands out nothing. */
final class SwitchableDataSource extends AbstractDataSource {
  private final DataSource target;
  private volatile boolean down;

  SwitchableDataSource(DataSource target) {
    this.target = target;
  }

  void setDown(boolean down) {
    this.down = down;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      throw new SQLException("connection refused (test partition)", "08001");
    }
    return target.getConnection();
  }
}
