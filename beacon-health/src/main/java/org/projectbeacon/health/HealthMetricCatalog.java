package org.projectbeacon.health;

import java.util.List;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Every meter beacon-health registers: the request timer of the HTTP endpoints.
 *
 * <p>The one place the module's meter names are written. Registered for {@link java.util.ServiceLoader}.
 */
public final class HealthMetricCatalog implements MetricCatalog {

    /** Requests served, tagged method, route template and status; histogram. Prometheus: {@code http_request_duration_seconds_*}. */
    public static final String HTTP_REQUEST_DURATION = "http.request.duration";
    /** Tag key of the HTTP method. */
    public static final String TAG_METHOD = "method";
    /** Tag key of the route template (never the raw path, which would explode cardinality). */
    public static final String TAG_ROUTE = "route";
    /** Tag key of the status code. */
    public static final String TAG_STATUS = "status";
    /** The {@code route} tag of requests that matched no route. */
    public static final String UNMATCHED_ROUTE = "unmatched";
    /** Buckets of {@link #HTTP_REQUEST_DURATION} in seconds; 2 s is one, for the runbook's p95 > 2 s alert. */
    public static final double[] HTTP_BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10};

    private static final List<MeterDescriptor> METERS = List.of(
            MeterDescriptor.timer(HTTP_REQUEST_DURATION, true, "HTTP requests served, by method, route and status",
                    TAG_METHOD, TAG_ROUTE, TAG_STATUS));

    /** Creates the catalog; {@link java.util.ServiceLoader} calls this. */
    public HealthMetricCatalog() {}

    @Override
    public String module() {
        return "beacon-health";
    }

    @Override
    public List<MeterDescriptor> meters() {
        return METERS;
    }
}
