package io.refreshorchestrator.local;

import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one {@link LocalStack} for the whole test run, on first use, and
 * injects it, or its {@link KafkaBroker} or {@link PostgresServer}, into test constructors, test
 * methods and lifecycle methods. The stack is closed when the run ends.
 *
 * <pre>
 * &#64;ExtendWith(LocalStackExtension.class)
 * class RefreshIT {
 *     &#64;Test
 *     void refreshesOnChange(LocalStack stack) {
 *         String database = stack.postgres().createDatabase("refresh_it");
 *         stack.kafka().createTopic("refresh-it-" + UUID.randomUUID(), 3);
 *         ...
 *     }
 * }
 * </pre>
 *
 * <p>Tests share the services, so each isolates itself: its own database ({@link
 * PostgresServer#createDatabase}) and topic names. A test that stops, kills or restarts a service
 * either brings it back before it ends ({@code restart()}) or starts a dedicated one ({@link
 * KafkaBroker#start()}, {@link PostgresServer#start()}).
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalStackExtension.class);
    private static final Set<Class<?>> SUPPORTED =
            Set.of(LocalStack.class, KafkaBroker.class, PostgresServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SUPPORTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = sharedStack(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == KafkaBroker.class) {
            return stack.kafka();
        }
        if (type == PostgresServer.class) {
            return stack.postgres();
        }
        return stack;
    }

    /**
     * The run's stack, started on first call. It lives in the root store, which closes {@link
     * AutoCloseable} values when the run ends; its shutdown hooks are the fallback.
     */
    static LocalStack sharedStack(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        LocalStack.class, type -> LocalStack.start(), LocalStack.class);
    }
}
