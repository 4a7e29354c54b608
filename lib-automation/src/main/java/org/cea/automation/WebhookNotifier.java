package org.cea.automation;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON POST per notification: {@code title}, {@code message}, {@code priority}, {@code tags},
 * {@code topic} (when configured: ntfy's JSON publishing, POSTed to the server's root URL) and the
 * whole {@code event}; header {@code X-CEA-Event} carries the event key for de-duplication. A 2xx
 * reply is delivery; 408, 429 and 5xx are retried, other 4xx are permanent. Gotify takes the same
 * body at {@code /message?token=...} (give the URL through {@code url_env}).
 *
 * <p>Sent with {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a few alerts a day
 * need no asynchronous client, whose selector thread, executor and classes cost cea-automation
 * about 3 MB RSS against its 64 MB target (scripts/bench-automation.sh). Redirects are not followed.
 */
final class WebhookNotifier implements Notifier {
    private final AutomationConfig.Notifier cfg;
    private final URI uri;
    private final String display;
    private final Map<String, String> headers = new LinkedHashMap<>();

    WebhookNotifier(AutomationConfig.Notifier cfg, Function<String, String> env) {
        this.cfg = cfg;
        AutomationConfig.Webhook w = cfg.webhook();
        String url = w.url();
        if (url == null) {
            url = env.apply(w.urlEnv());
            if (url == null || url.isBlank()) {
                throw new AutomationConfigException("notifier " + cfg.name() + ": environment variable " + w.urlEnv()
                        + " (its URL) is not set");
            }
        }
        this.uri = URI.create(url);
        this.display = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
        w.headersEnv().forEach((h, var) -> {
            String v = env.apply(var);
            if (v == null) {
                throw new AutomationConfigException("notifier " + cfg.name() + ": environment variable " + var
                        + " (header " + h + ") is not set");
            }
            headers.put(h, v);
        });
    }

    @Override
    public String name() {
        return cfg.name();
    }

    @Override
    public void send(Notification n) throws NotifyException {
        byte[] json = body(n);
        int s;
        String text;
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            int ms = (int) Math.min(Integer.MAX_VALUE, cfg.timeout().toMillis());
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setFixedLengthStreamingMode(json.length);
            c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
            c.setRequestProperty("X-CEA-Event", n.key());
            headers.forEach(c::setRequestProperty);
            try (OutputStream o = c.getOutputStream()) {
                o.write(json);
            }
            s = c.getResponseCode();
            text = read(c);
        } catch (IOException e) {
            throw new NotifyException("webhook " + cfg.name() + " " + display + ": " + e, true, e);
        }
        if (s / 100 != 2) {
            text = text.replaceAll("\\s+", " ");
            throw new NotifyException("webhook " + cfg.name() + " " + display + " answered " + s + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "…" : text), s == 408 || s == 429 || s >= 500, null);
        }
    }

    /** The JSON posted: topic (when configured), title, message, priority, tags and the event. */
    private byte[] body(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (cfg.webhook().topic() != null) {
            body.put("topic", cfg.webhook().topic());
        }
        body.put("title", n.title());
        body.put("message", n.body());
        body.put("priority", n.priority());
        body.put("tags", List.of("cea", n.alert().severity(), n.event().transition()));
        body.put("event", n.eventMap());
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The reply body (its first 4 KiB, for a refusal's message), or empty; closing it lets the connection be reused. */
    private static String read(HttpURLConnection c) {
        try (InputStream in = c.getResponseCode() / 100 == 2 ? c.getInputStream() : c.getErrorStream()) {
            return in == null ? "" : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "webhook " + cfg.name() + " " + display;
    }
}
