/**
 * Spring MVC support: {@link dev.jitaccess.web.spring.GrantInterceptor} enforces {@link
 * dev.jitaccess.web.RequiresGrant} on handler methods, filling placeholders from the URI template
 * variables. Needs {@code spring-webmvc} on the class path (an optional dependency).
 */
@NullMarked
package dev.jitaccess.web.spring;

import org.jspecify.annotations.NullMarked;
