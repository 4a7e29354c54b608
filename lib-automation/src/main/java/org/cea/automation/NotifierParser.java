package org.cea.automation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;

/**
 * Reads one entry of {@code notifiers}: the delivery keys every type shares (transitions, minimum
 * severity, rate, retry, timeout, give-up), then the type's own (webhook, smtp, command).
 */
final class NotifierParser {
    private static final Set<String> NOTIFY_DEFAULT = Set.of("firing", "resolved", "reminder", "acknowledged");
    private static final List<String> COMMON = List.of("name", "type", "on", "min_severity", "rate_per_minute",
            "retry_max_s", "timeout_s", "give_up_after_h");
    private final ConfigJson json;

    NotifierParser(ConfigJson json) {
        this.json = json;
    }

    /** Parses {@code e}, found at JSON path {@code path}. */
    AutomationConfig.Notifier notifier(JsonElement e, String path) {
        JsonObject n = json.object(e, path);
        String type = json.string(n, path, "type", null);
        String name = json.string(n, path, "name", type);
        if (!name.matches("[a-z0-9_-]{1,32}")) {
            throw json.error(path + ".name", "'" + name + "' must be 1..32 of [a-z0-9_-]");
        }
        Set<String> transitions = transitions(n, path);
        String minSeverity = json.string(n, path, "min_severity", "info");
        if (!Alert.SEVERITIES.contains(minSeverity)) {
            throw json.error(path + ".min_severity", "'" + minSeverity + "' must be info, warning or critical");
        }
        int rate = (int) json.number(n, path, "rate_per_minute", 20, 1, 600);
        Duration retryMax = json.seconds(n, path, "retry_max_s", 60, 1, 3600);
        Duration timeout = json.seconds(n, path, "timeout_s", 10, 1, 120);
        Duration giveUp = json.seconds(n, path, "give_up_after_h", 24, 0.01, 24 * 30, 3600);
        AutomationConfig.Webhook webhook = null;
        AutomationConfig.Smtp smtp = null;
        AutomationConfig.Command command = null;
        switch (type) {
            case "webhook" -> {
                keys(n, path, "url", "url_env", "headers_env", "topic");
                webhook = webhook(n, path);
            }
            case "smtp" -> {
                keys(n, path, "host", "port", "tls", "from", "to", "user_env", "password_env", "trust_store",
                        "trust_store_password_env");
                smtp = smtp(n, path);
            }
            case "command" -> {
                keys(n, path, "argv");
                command = command(n, path);
            }
            default -> throw json.error(path + ".type", "'" + type + "' must be webhook, smtp or command");
        }
        return new AutomationConfig.Notifier(name, type, transitions, minSeverity, rate, retryMax, timeout, giveUp, webhook,
                smtp, command);
    }

    /** The keys every type shares plus the type's own. */
    private void keys(JsonObject n, String path, String... own) {
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(List.of(own));
        json.keys(n, path, allowed.toArray(String[]::new));
    }

    private Set<String> transitions(JsonObject n, String path) {
        Set<String> transitions = n.has("on") ? new LinkedHashSet<>(json.strings(n.get("on"), path + ".on"))
                : NOTIFY_DEFAULT;
        for (String t : transitions) {
            if (!AlertEvents.TRANSITIONS.contains(t) || "pending".equals(t)) {
                throw json.error(path + ".on", "'" + t + "' must be one of firing, resolved, reminder, acknowledged");
            }
        }
        return transitions;
    }

    private AutomationConfig.Command command(JsonObject n, String path) {
        List<String> argv = json.strings(n.get("argv"), path + ".argv");
        if (argv.isEmpty()) {
            throw json.error(path + ".argv", "must name a program");
        }
        if (argv.get(0).startsWith("bin/")) {
            // bin/... is the install's (or checkout's): beside etc/, where this file lives
            List<String> abs = new ArrayList<>(argv);
            Path root = json.file().toAbsolutePath().getParent().getParent();
            abs.set(0, (root == null ? Path.of(argv.get(0)) : root.resolve(argv.get(0))).toString());
            argv = abs;
        }
        return new AutomationConfig.Command(argv);
    }

    private AutomationConfig.Webhook webhook(JsonObject n, String path) {
        String url = n.has("url") ? json.string(n, path, "url", null) : null;
        String urlEnv = n.has("url_env") ? json.string(n, path, "url_env", null) : null;
        if ((url == null) == (urlEnv == null)) {
            throw json.error(path + ".url", "give exactly one of url and url_env (a URL with a token belongs in the"
                    + " environment)");
        }
        if (url != null && !url.matches("https?://.+")) {
            throw json.error(path + ".url", "'" + url + "' must be an http:// or https:// URL");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (n.has("headers_env")) {
            JsonObject h = json.object(n.get("headers_env"), path + ".headers_env");
            for (String k : h.keySet()) {
                headers.put(k, json.string(h, path + ".headers_env", k, null));
            }
        }
        return new AutomationConfig.Webhook(url, urlEnv, headers,
                n.has("topic") ? json.string(n, path, "topic", null) : null);
    }

    private AutomationConfig.Smtp smtp(JsonObject n, String path) {
        String tls = json.string(n, path, "tls", "starttls");
        if (!List.of("starttls", "starttls_optional", "smtps", "none").contains(tls)) {
            throw json.error(path + ".tls", "'" + tls + "' must be starttls, starttls_optional, smtps or none");
        }
        List<String> to = n.get("to") != null && n.get("to").isJsonArray() ? json.strings(n.get("to"), path + ".to")
                : List.of(json.string(n, path, "to", null));
        for (String addr : to) {
            if (!addr.matches("[^@\\s]+@[^@\\s]+")) {
                throw json.error(path + ".to", "'" + addr + "' is not an e-mail address");
            }
        }
        String from = json.string(n, path, "from", null);
        if (!from.matches("[^@\\s]+@[^@\\s]+")) {
            throw json.error(path + ".from", "'" + from + "' is not an e-mail address");
        }
        String ts = n.has("trust_store") ? json.string(n, path, "trust_store", null) : null;
        return new AutomationConfig.Smtp(json.string(n, path, "host", null),
                (int) json.number(n, path, "port", "smtps".equals(tls) ? 465 : 587, 1, 65535), tls, from, to,
                n.has("user_env") ? json.string(n, path, "user_env", null) : null,
                n.has("password_env") ? json.string(n, path, "password_env", null) : null, ts == null ? null : Path.of(ts),
                n.has("trust_store_password_env") ? json.string(n, path, "trust_store_password_env", null) : null);
    }
}
