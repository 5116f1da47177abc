/**
 * CAEP over RFC 8935 push: {@link dev.jitaccess.caep.CaepTransmitter} signs Security Event Tokens
 * and learns which tokens each grant holds; {@link dev.jitaccess.caep.CaepReceiver} pushes them to
 * one receiver and is a {@link dev.jitaccess.teardown.spi.Downstream}; {@link
 * dev.jitaccess.caep.SetSigner} is the key they are signed with; {@link
 * dev.jitaccess.caep.Delivery} is what a receiver answered.
 */
@NullMarked
package dev.jitaccess.caep;

import org.jspecify.annotations.NullMarked;
