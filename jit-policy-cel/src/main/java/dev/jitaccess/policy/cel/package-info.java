/**
 * Policy as code in CEL, the Common Expression Language of Kubernetes, Envoy and Google IAM: a
 * {@link dev.jitaccess.spi.AccessPolicy} whose rules are CEL conditions over the request and its
 * context ({@link dev.jitaccess.policy.cel.CelPolicy}), built in Java or loaded from a YAML file,
 * compiled once and bounded at evaluation; and a shadow mode that runs a candidate policy beside
 * the enforced one and audits every disagreement ({@link dev.jitaccess.policy.cel.ShadowPolicy}).
 *
 * <p>Runs on the class path: the CEL jars split packages, so neither they nor this jar can be
 * named modules.
 */
@NullMarked
package dev.jitaccess.policy.cel;

import org.jspecify.annotations.NullMarked;
