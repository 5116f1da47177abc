/**
 * What teardown reaches and where it keeps its ledger: {@link
 * dev.jitaccess.teardown.spi.Downstream} systems and the {@link
 * dev.jitaccess.teardown.spi.TeardownLedger}.
 */
@NullMarked
package dev.jitaccess.teardown.spi;

import org.jspecify.annotations.NullMarked;
