/**
 * What teardown reaches, where it keeps its ledger and whom it alerts: {@link
 * dev.jitaccess.teardown.spi.Downstream} systems, the {@link
 * dev.jitaccess.teardown.spi.TeardownLedger} and {@link
 * dev.jitaccess.teardown.spi.TeardownAlerts}.
 */
@NullMarked
package dev.jitaccess.teardown.spi;

import org.jspecify.annotations.NullMarked;
