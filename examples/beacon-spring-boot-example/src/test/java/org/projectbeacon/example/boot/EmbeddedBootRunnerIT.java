package org.projectbeacon.example.boot;

import org.springframework.boot.test.context.SpringBootTest;

/** The embedded default: H2 and the in-process stream, no servers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:embedded-boot-runner;DB_CLOSE_DELAY=-1")
class EmbeddedBootRunnerIT extends JobApiFlow {
}
