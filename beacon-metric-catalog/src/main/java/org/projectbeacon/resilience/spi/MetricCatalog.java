package org.projectbeacon.resilience.spi;

import java.util.List;

/**
 * Declares every meter a module's {@code MeterBinder}s may register, so that tools can know what a
 * service exports without running it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: a module lists its catalog in
 * {@code META-INF/services/org.projectbeacon.resilience.spi.MetricCatalog}. The {@code verify-alerts}
 * goal of the Beacon Maven plugin reads every catalog on a project's runtime classpath to decide
 * which metrics alert rules and runbooks may name. A catalog must therefore be complete and true;
 * each Beacon module has a test proving that its binders register exactly its catalog, and that
 * the tag values a descriptor declares closed are exactly the values its binders emit.
 *
 * <p>This interface depends on the JDK only. Implementations must have a public no-argument
 * constructor, be stateless and thread-safe.
 */
public interface MetricCatalog {

    /** A short name of the module whose meters this catalog declares, such as {@code beacon-resilience-core}. */
    String module();

    /** The meters, each name once; never null. */
    List<MeterDescriptor> meters();
}
