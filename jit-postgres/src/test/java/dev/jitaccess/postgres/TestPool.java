package dev.jitaccess.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;

/**
 * A minimal connection pool for tests, as an application's pool would be: connections are reused,
 * handed out in a fixed auto-commit mode, and rolled back when returned in a transaction.
 */
final class TestPool extends AbstractDataSource {
  private final DataSource target;
  private final boolean autoCommit;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  TestPool(DataSource target, boolean autoCommit) {
    this.target = target;
    this.autoCommit = autoCommit;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical = idle.poll();
    while (physical != null && physical.isClosed()) {
      physical = idle.poll();
    }
    if (physical == null) {
      physical = target.getConnection();
    }
    physical.setAutoCommit(autoCommit);
    return lease(physical);
  }

  private Connection lease(Connection physical) {
    InvocationHandler handler = new InvocationHandler() {
      private boolean returned;

      @Override
      public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
          case "close":
            if (!returned) {
              returned = true;
              giveBack(physical);
            }
            return null;
          case "isClosed":
            return returned || physical.isClosed();
          default:
            if (returned) {
              throw new SQLException("connection returned to the pool");
            }
            try {
              return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
        }
      }
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  private void giveBack(Connection physical) {
    try {
      if (physical.isClosed() || !physical.isValid(2)) {
        closeQuietly(physical); // broken (its backend terminated, say): as a pool would, drop it
        return;
      }
      if (!physical.getAutoCommit()) {
        physical.rollback();
      }
      idle.offer(physical);
    } catch (SQLException broken) {
      closeQuietly(physical);
    }
  }

  /** Closes the idle connections. */
  void closeIdle() {
    Connection c;
    while ((c = idle.poll()) != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken
    }
  }
}
