package org.projectbeacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthReportTest {

    /** Each row: services as STATUS/critical-flag, then the rolled-up status and HTTP code. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                               | UP       | 200",
            "UP/c UP/n                        | UP       | 200",
            "UP/c DOWN/c                      | DOWN     | 503",
            "UP/c DOWN/n                      | DEGRADED | 200",
            "DEGRADED/c UP/n                  | DEGRADED | 200",
            "DEGRADED/n DOWN/c                | DOWN     | 503",
            "UNKNOWN/c UP/c                   | UNKNOWN  | 503",
            "UNKNOWN/n UP/c                   | UP       | 200",
            "UNKNOWN/c DOWN/n                 | UNKNOWN  | 503",
            "UNKNOWN/c DOWN/c                 | DOWN     | 503",
            "DOWN/n DOWN/n DEGRADED/n         | DEGRADED | 200",
    })
    void rollUp(String services, HealthStatus expected, int http) {
        List<ServiceHealth> list = Arrays.stream(services.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    String[] parts = s.split("/");
                    return new ServiceHealth("s" + s.hashCode(), HealthStatus.valueOf(parts[0]), parts[1].equals("c"),
                            null, null, null, null, null);
                })
                .toList();
        HealthStatus status = HealthReport.rollUp(list);
        assertThat(status).isEqualTo(expected);
        assertThat(status.httpStatus()).isEqualTo(http);
    }
}
