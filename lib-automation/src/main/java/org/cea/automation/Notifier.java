package org.cea.automation;

import java.util.Map;
import java.util.function.Function;

/**
 * Delivers notifications to one place. Implementations block the caller for at most their
 * configured timeout, own no threads and hold no state between calls but connections.
 */
public interface Notifier extends AutoCloseable {
    /** The configured name. */
    String name();

    /**
     * Sends one message.
     *
     * @throws NotifyException when it was not delivered
     */
    void send(Notification n) throws NotifyException;

    /** Releases connections; idempotent. */
    @Override
    default void close() {
    }

    /**
     * The notifier a configuration describes.
     *
     * @param env the environment (credentials, URLs with tokens): {@code System::getenv} in production
     * @throws AutomationConfigException when a variable it needs is unset
     */
    static Notifier create(AutomationConfig.Notifier cfg, Function<String, String> env) {
        return switch (cfg.type()) {
            case "webhook" -> new WebhookNotifier(cfg, env);
            case "smtp" -> new SmtpNotifier(cfg, env);
            case "command" -> new CommandNotifier(cfg);
            default -> throw new AutomationConfigException("notifier " + cfg.name() + ": unknown type " + cfg.type());
        };
    }

    /** An environment lookup over a map (tests, embedding programs). */
    static Function<String, String> env(Map<String, String> vars) {
        return vars::get;
    }
}
