package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.ForwardingOutboxSink;
import org.projectbeacon.outbox.spi.OutboxSink;

class ForwardingOutboxSinkTest {

    @Test
    void everySinkOperationIsForwardedSoADecoratorKeepsNoDefault() {
        Set<String> declared = Arrays.stream(ForwardingOutboxSink.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(ForwardingOutboxSinkTest::signature).collect(Collectors.toSet());
        Set<String> sinkOperations = Arrays.stream(OutboxSink.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(ForwardingOutboxSinkTest::signature).collect(Collectors.toSet());
        // A method added to OutboxSink must be forwarded too, or decorators silently fall back to its default.
        assertThat(declared).containsAll(sinkOperations);
    }

    @Test
    void aDecoratorOverridingOnlySendStillReportsTheDelegatesMissingEntries() throws Exception {
        InProcessSink inner = new InProcessSink();
        OutboxSink decorated = new ForwardingOutboxSink(inner) { };
        assertThat(decorated.missingEntries("jobs", java.util.List.of("1-0")))
                .isEqualTo(inner.missingEntries("jobs", java.util.List.of("1-0")));
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }
}
