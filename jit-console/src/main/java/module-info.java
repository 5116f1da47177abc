/**
 * An embeddable console for JIT Access on Spring MVC: approvers decide pending requests and review
 * break-glass grants; security teams read the exposure report, revoke grants and tasks, and close
 * lingering teardowns by force. Import {@link dev.jitaccess.console.ConsoleConfiguration} into a
 * Spring MVC application; the application's own security guards it.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Spring, Thymeleaf and Spring Security are automatic modules
module dev.jitaccess.console {
  requires transitive dev.jitaccess.governance;
  requires dev.jitaccess.teardown;
  requires transitive spring.context; // ConsoleConfiguration is a @Configuration
  requires spring.beans;
  requires spring.core;
  requires spring.web;
  requires spring.webmvc;
  requires jakarta.servlet;
  requires thymeleaf;
  requires org.slf4j;
  requires static spring.security.web;
  requires static transitive org.jspecify;

  exports dev.jitaccess.console;
  opens dev.jitaccess.console to spring.core, spring.beans, spring.context, spring.web,
      spring.webmvc;
}
