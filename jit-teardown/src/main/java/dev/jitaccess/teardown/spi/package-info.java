/**
 * What teardown reaches and where it keeps its ledger: {@link
 * dev.jitaccess.teardown.spi.Downstream} systems and the {@code TeardownLedger}.
 */
@NullMarked
package dev.jitaccess.teardown.spi;

import org.jspecify.annotations.NullMarked;
