/**
 * HTTP enforcement of JIT Access grants: {@link dev.jitaccess.web.GrantEnforcer} decides a request
 * from its method, raw path and headers; {@link dev.jitaccess.web.GrantFilter} applies it to plain
 * servlets and {@link dev.jitaccess.web.spring.GrantInterceptor} to Spring MVC handlers annotated
 * with {@link dev.jitaccess.web.RequiresGrant}. The servlet API and Spring MVC are optional: the
 * enforcer needs neither.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Spring's jars are automatic modules (Automatic-Module-Name)
module dev.jitaccess.web {
  requires transitive dev.jitaccess;
  requires transitive dev.jitaccess.core;
  requires transitive dev.jitaccess.jwt;
  requires com.nimbusds.jose.jwt;
  requires static transitive jakarta.servlet;
  requires static spring.core;
  requires static spring.web;
  requires static transitive spring.webmvc;
  requires static transitive org.jspecify;

  exports dev.jitaccess.web;
  exports dev.jitaccess.web.spring;
}
