package org.cea.tools.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Request counters, latency histograms and backend error counters, rendered in the Prometheus text
 * exposition format (version 0.0.4). Routes are labelled by their template
 * ({@code /api/sensors/{name}}), never by the raw path, so the label set stays bounded.
 */
final class Metrics {
    /** Histogram bucket upper bounds, seconds. */
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final LongAdder redisErrors = new LongAdder();
    private final LongAdder dbErrors = new LongAdder();
    private final LongAdder wsMessages = new LongAdder();
    private final LongAdder wsConnects = new LongAdder();
    private final LongAdder redisReconnects = new LongAdder();
    private final LongAdder wsSlowDrops = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private volatile IntSupplier wsClients = () -> 0;

    private static final class Route {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

        Route() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    /**
     * Records one finished request.
     *
     * @param route  route template
     * @param status HTTP status sent
     * @param nanos  time from arrival to the response being committed, nanoseconds
     */
    void observe(String route, int status, long nanos) {
        Route r = routes.computeIfAbsent(route, k -> new Route());
        r.count.increment();
        r.sumNanos.add(nanos);
        r.byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                r.buckets[i].increment();
                break;
            }
        }
    }

    /** A Redis command failed (connection or protocol). */
    void redisError() {
        redisErrors.increment();
    }

    /** A database query failed. */
    void dbError() {
        dbErrors.increment();
    }

    /** One WebSocket text message was queued to a client. */
    void wsMessage() {
        wsMessages.increment();
    }

    /** A WebSocket client connected. */
    void wsConnect() {
        wsConnects.increment();
    }

    /** The live subscription to Redis was (re)established after a failure. */
    void redisReconnect() {
        redisReconnects.increment();
    }

    /**
     * A request was refused before routing.
     *
     * @param reason {@code misdirected_request} (Host), {@code forbidden_origin} or {@code unauthorized}
     */
    void accessRefused(String reason) {
        refused.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    /** Requests refused for a reason so far (see {@link #accessRefused}). */
    long refused(String reason) {
        LongAdder n = refused.get(reason);
        return n == null ? 0 : n.sum();
    }

    /** A WebSocket client was closed because it did not read what it was sent. */
    void wsSlowDrop() {
        wsSlowDrops.increment();
    }

    /** WebSocket clients closed for not reading, since start. */
    long wsSlowDrops() {
        return wsSlowDrops.sum();
    }

    /** Source of the current WebSocket client count. */
    void wsClientGauge(IntSupplier clients) {
        this.wsClients = clients;
    }

    /** Total requests recorded for a route template (for tests and the bench). */
    long requests(String route) {
        Route r = routes.get(route);
        return r == null ? 0 : r.count.sum();
    }

    /** The Prometheus text exposition. */
    String render() {
        StringBuilder b = new StringBuilder(4096);
        Map<String, Route> sorted = new TreeMap<>(routes);
        b.append("# HELP cea_api_requests_total HTTP requests by route template and status.\n");
        b.append("# TYPE cea_api_requests_total counter\n");
        sorted.forEach((route, r) -> new TreeMap<>(r.byStatus).forEach((status, n) ->
                b.append("cea_api_requests_total{route=\"").append(escape(route)).append("\",status=\"")
                        .append(status).append("\"} ").append(n.sum()).append('\n')));
        b.append("# HELP cea_api_request_duration_seconds HTTP request latency by route template.\n");
        b.append("# TYPE cea_api_request_duration_seconds histogram\n");
        sorted.forEach((route, r) -> {
            String label = "route=\"" + escape(route) + "\"";
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += r.buckets[i].sum();
                b.append("cea_api_request_duration_seconds_bucket{").append(label).append(",le=\"")
                        .append(format(BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
            }
            long count = r.count.sum();
            b.append("cea_api_request_duration_seconds_bucket{").append(label).append(",le=\"+Inf\"} ").append(count).append('\n');
            b.append("cea_api_request_duration_seconds_sum{").append(label).append("} ")
                    .append(format(r.sumNanos.sum() / 1e9)).append('\n');
            b.append("cea_api_request_duration_seconds_count{").append(label).append("} ").append(count).append('\n');
        });
        counter(b, "cea_api_redis_errors_total", "Redis commands that failed.", redisErrors.sum());
        counter(b, "cea_api_db_errors_total", "Database queries that failed.", dbErrors.sum());
        counter(b, "cea_api_redis_resubscribes_total", "Live subscriptions re-established after a Redis failure.",
                redisReconnects.sum());
        counter(b, "cea_api_ws_connections_total", "WebSocket clients that connected.", wsConnects.sum());
        counter(b, "cea_api_ws_messages_total", "WebSocket messages queued to clients.", wsMessages.sum());
        counter(b, "cea_api_ws_slow_clients_dropped_total", "WebSocket clients closed because they did not read their messages.",
                wsSlowDrops.sum());
        b.append("# HELP cea_api_access_refused_total Requests refused for their Host, Origin or missing token.\n");
        b.append("# TYPE cea_api_access_refused_total counter\n");
        new TreeMap<>(refused).forEach((reason, n) -> b.append("cea_api_access_refused_total{reason=\"").append(reason)
                .append("\"} ").append(n.sum()).append('\n'));
        b.append("# HELP cea_api_ws_clients WebSocket clients connected now.\n# TYPE cea_api_ws_clients gauge\n");
        b.append("cea_api_ws_clients ").append(wsClients.getAsInt()).append('\n');
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static String format(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
