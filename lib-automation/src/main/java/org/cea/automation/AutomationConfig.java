package org.cea.automation;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code etc/automation.json}, validated and resolved against the facility profile (see
 * {@link AutomationConfigParser}).
 *
 * @param source           the file it came from
 * @param zone             the facility's local time zone (lights-on and lights-off times are in it)
 * @param evaluationPeriod how often every rule is evaluated
 * @param rooms            lights schedule per room
 * @param rules            the rules, names unique
 * @param notifiers        the notifiers, names unique
 * @param actuators        actuator interlocks by name
 */
public record AutomationConfig(Path source, ZoneId zone, Duration evaluationPeriod, Map<String, Lights> rooms,
                               List<Rule> rules, List<Notifier> notifiers, Map<String, Actuator> actuators) {
    /** Copies. */
    public AutomationConfig {
        rooms = Map.copyOf(rooms);
        rules = List.copyOf(rules);
        notifiers = List.copyOf(notifiers);
        actuators = Map.copyOf(actuators);
    }

    /**
     * A room's lights.
     *
     * @param on  lights-on, local time
     * @param off lights-off, local time (may be before {@code on}: lights on over midnight)
     */
    public record Lights(LocalTime on, LocalTime off) {
        /** True when the lights are on at local time {@code t}. */
        public boolean day(LocalTime t) {
            return on.isBefore(off) ? !t.isBefore(on) && t.isBefore(off) : !t.isBefore(on) || t.isBefore(off);
        }
    }

    /**
     * Interlocks of one actuator.
     *
     * @param name         actuator name
     * @param minOn        shortest time between an {@code on} and the next {@code off}
     * @param minOff       shortest time between an {@code off} and the next {@code on}
     * @param maxPerMinute most commands in any 60 s
     * @param expiresAfter a command expires this long after issue
     */
    public record Actuator(String name, Duration minOn, Duration minOff, int maxPerMinute, Duration expiresAfter) {
    }

    /**
     * One notifier.
     *
     * @param name          unique name (its consumer group is {@code notify:<name>})
     * @param type          {@code webhook}, {@code smtp} or {@code command}
     * @param transitions   which transitions it sends
     * @param minSeverity   lowest severity it sends
     * @param ratePerMinute most messages per minute (a token bucket with this burst)
     * @param retryMax      cap of the retry backoff
     * @param timeout       one attempt's time limit
     * @param giveUpAfter   an event still undelivered after this is dropped (logged, counted)
     * @param webhook       webhook settings, or null
     * @param smtp          SMTP settings, or null
     * @param command       command settings, or null
     */
    public record Notifier(String name, String type, Set<String> transitions, String minSeverity, int ratePerMinute,
                           Duration retryMax, Duration timeout, Duration giveUpAfter, Webhook webhook, Smtp smtp,
                           Command command) {
        /** Copies. */
        public Notifier {
            transitions = Set.copyOf(transitions);
        }
    }

    /**
     * HTTP webhook: a JSON POST ({@code title}, {@code message}, {@code priority}, {@code tags},
     * optional {@code topic}, and the whole {@code event}), which ntfy (JSON publishing to its root
     * URL with {@code topic}) and Gotify ({@code /message?token=} from the environment) accept.
     *
     * @param url        http or https URL
     * @param urlEnv     environment variable holding the URL instead (for a URL with a token), or null
     * @param headersEnv header name → environment variable holding its value (e.g. Authorization)
     * @param topic      ntfy topic, or null
     */
    public record Webhook(String url, String urlEnv, Map<String, String> headersEnv, String topic) {
        /** Copies. */
        public Webhook {
            headersEnv = Map.copyOf(headersEnv);
        }
    }

    /**
     * E-mail over SMTP.
     *
     * @param host        server
     * @param port        1..65535
     * @param tls         {@code starttls} (required), {@code starttls_optional}, {@code smtps} or {@code none}
     * @param from        sender address
     * @param to          recipients
     * @param userEnv     environment variable holding the user name, or null (no AUTH)
     * @param passwordEnv environment variable holding the password, or null
     * @param trustStore  PKCS12 trust store for a private CA, or null for the JDK's
     * @param trustStorePasswordEnv environment variable holding its password, or null
     */
    public record Smtp(String host, int port, String tls, String from, List<String> to, String userEnv,
                       String passwordEnv, Path trustStore, String trustStorePasswordEnv) {
        /** Copies. */
        public Smtp {
            to = List.copyOf(to);
        }
    }

    /**
     * A program run per message (the desktop path): the message on stdin, the title and severity
     * in {@code CEA_ALERT_TITLE}, {@code CEA_ALERT_SEVERITY}, {@code CEA_ALERT_ID}, {@code CEA_ALERT_TRANSITION}.
     *
     * @param argv program and arguments (no shell)
     */
    public record Command(List<String> argv) {
        /** Copies. */
        public Command {
            argv = List.copyOf(argv);
        }
    }

    /** The rule with this name. */
    public Rule rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }
}
