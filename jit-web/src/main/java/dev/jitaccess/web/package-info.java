/**
 * HTTP enforcement of grants without any framework: {@link dev.jitaccess.web.GrantEnforcer} (the
 * decision from method, raw path and headers), {@link dev.jitaccess.web.RouteMap} (method and path
 * patterns to action and resource), {@link dev.jitaccess.web.RequiresGrant} (the declarative form),
 * {@link dev.jitaccess.web.GrantFilter} (a {@code jakarta.servlet} filter) and {@link
 * dev.jitaccess.web.WebDecision} (the status, {@code WWW-Authenticate} challenges and body to
 * send). See {@code docs/http.md} for how paths become resources.
 */
@NullMarked
package dev.jitaccess.web;

import org.jspecify.annotations.NullMarked;
