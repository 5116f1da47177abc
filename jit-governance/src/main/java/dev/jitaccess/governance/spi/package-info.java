/**
 * What backs governance: where requests are kept ({@link
 * dev.jitaccess.governance.spi.GovernanceStore}), who belongs to which groups and teams ({@link
 * dev.jitaccess.governance.spi.Directory}), and who is told of emergencies ({@link
 * dev.jitaccess.governance.spi.Notifier}).
 */
@NullMarked
package dev.jitaccess.governance.spi;

import org.jspecify.annotations.NullMarked;
