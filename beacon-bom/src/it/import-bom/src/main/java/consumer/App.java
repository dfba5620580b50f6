package consumer;

import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.resilience.GuardRegistry;

/** Compiles only if the BOM resolved core and the outbox without versions, Jdbi excluded. */
public final class App {
    public static void main(String[] args) throws Exception {
        try (GuardRegistry guards = GuardRegistry.ofDefaults()) {
            System.out.println(guards.guard("golem").call(() -> "guarded"));
        }
        System.out.println(Outbox.create(OutboxConfig.builder().build()).config().tablePrefix().isEmpty());
    }
}
