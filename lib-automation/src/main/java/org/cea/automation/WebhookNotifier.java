package org.cea.automation;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 */
final class WebhookNotifier implements Notifier {
    private final AutomationConfig.Notifier cfg;
    private final URI uri;
    private final String display;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final HttpClient client;

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
        this.client = HttpClient.newBuilder().connectTimeout(cfg.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return cfg.name();
    }

    @Override
    public void send(Notification n) throws NotifyException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (cfg.webhook().topic() != null) {
            body.put("topic", cfg.webhook().topic());
        }
        body.put("title", n.title());
        body.put("message", n.body());
        body.put("priority", n.priority());
        body.put("tags", List.of("cea", n.alert().severity(), n.event().transition()));
        body.put("event", n.eventMap());
        String json = new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(body);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(cfg.timeout())
                .header("Content-Type", "application/json; charset=utf-8").header("X-CEA-Event", n.key())
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(req::header);
        HttpResponse<String> r;
        try {
            r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NotifyException("webhook " + cfg.name() + " " + display + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifyException("webhook " + cfg.name() + ": interrupted", true, e);
        }
        int s = r.statusCode();
        if (s / 100 != 2) {
            String text = r.body() == null ? "" : r.body().replaceAll("\\s+", " ");
            throw new NotifyException("webhook " + cfg.name() + " " + display + " answered " + s + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "…" : text), s == 408 || s == 429 || s >= 500, null);
        }
    }

    @Override
    public String toString() {
        return "webhook " + cfg.name() + " " + display;
    }
}
