package dev.jitaccess.examples.spring;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.spring.boot.properties.ConsoleProperties;
import java.io.PrintStream;
import java.util.Locale;
import org.springframework.boot.CommandLineRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the application has started: mints rita's demo grant, files her pending request, and
 * prints the people and their passwords, what to open and what to curl. A demo prints its token
 * so that a person can use it; an application never prints or logs a token.
 */
@Component
class DemoStartup implements CommandLineRunner {
  private final DemoGrants grants;
  private final DemoUsers users;
  private final ConsoleProperties console;
  private final Environment environment;

  DemoStartup(DemoGrants grants, DemoUsers users, ConsoleProperties console,
      Environment environment) {
    this.grants = grants;
    this.users = users;
    this.console = console;
    this.environment = environment;
  }

  @Override
  public void run(String... args) {
    DemoGrants.Minted read = grants.readOrders();
    AccessRequest write = grants.askToWriteOrders();
    PrintStream out = System.out;
    String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
    out.println();
    out.println("JIT Access sample is up, grants in an embedded PostgreSQL.");
    out.println();
    out.println("People (passwords drawn for this run):");
    for (DemoUsers.Person p : DemoUsers.PEOPLE) {
      out.printf(Locale.ROOT, "  %-6s %-24s %s%n", p.name(), users.password(p.name()), p.does());
    }
    out.println();
    out.println("Console: open " + base + console.getPath() + " and sign in as alice or bob;");
    out.println("  rita's request " + write.id() + " to write orders/3 waits for both.");
    out.println();
    out.println("Rita's grant " + read.reference() + " reads orders and reports until "
        + read.grantExpiresAt() + ". Its token:");
    out.println("  TOKEN=" + read.token());
    out.println("  curl -i -H \"Authorization: Bearer $TOKEN\" " + base + "/api/orders/1");
    out.println("  curl -i -H \"Authorization: Bearer $TOKEN\" " + base + "/api/reports/orders");
    out.println("  curl -i -X PUT -H \"Authorization: Bearer $TOKEN\" \"" + base
        + "/api/orders/3?status=SHIPPED\"   (403: reading is not writing)");
    out.println("  curl -i " + base + "/api/orders/1   (401: no token)");
    out.println();
    out.println("Revoke it as an operator, then the first curl answers 401:");
    out.println("  curl -i -u alice:" + users.password("alice") + " -X DELETE \"" + base
        + "/actuator/jitaccess/grant/" + read.reference() + "?reason=COMPROMISED\"");
    out.println("  curl -s -u alice:" + users.password("alice") + " " + base
        + "/actuator/jitaccess   (the exposure report)");
    out.println();
  }
}
