/**
 * The metric catalog SPI that every module publishes through
 * {@link java.util.ServiceLoader}. Nothing here depends on anything beyond the JDK.
 */
package org.projectbeacon.resilience.spi;
