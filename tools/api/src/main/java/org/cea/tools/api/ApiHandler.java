package org.cea.tools.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to {@link Endpoints} or {@link StaticContent}, renders {@link ApiException} as a
 * JSON error, and records every request in {@link Metrics} under its route template.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final String ALERTS_PREFIX = "/api/alerts/";
    private static final String ACK_SUFFIX = "/ack";
    private static final String EXPORT = "/api/export";
    private static final String EXPORT_MESSAGES = "/api/export/messages";
    /** Largest request body accepted (an acknowledgement), bytes. */
    static final int MAX_BODY = 4_096;
    /** Most bytes of an oversized body read and dropped before the 413, so the connection stays usable. */
    private static final int DRAIN_BODY = 64 * 1024;
    /** Request attribute: the body was read to its end. */
    private static final String BODY_READ = "cea.bodyRead";
    private final Endpoints endpoints;
    private final StaticContent content;
    private final Metrics metrics;

    /** A response body with its status and content type. */
    record Reply(int status, String contentType, byte[] body, boolean immutable) {
        static Reply json(int status, Object value) {
            return new Reply(status, JSON, Json.write(value).getBytes(StandardCharsets.UTF_8), false);
        }
    }

    ApiHandler(Endpoints endpoints, StaticContent content, Metrics metrics) {
        super(InvocationType.BLOCKING);
        this.endpoints = endpoints;
        this.content = content;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String path = Request.getPathInContext(request);
        if ((path.equals(EXPORT) || path.equals(EXPORT_MESSAGES)) && "GET".equals(request.getMethod())) {
            return export(request, response, callback, path, t0);
        }
        String[] route = {"other"};
        Reply reply;
        try {
            reply = dispatch(request, path, route);
        } catch (ApiException e) {
            reply = error(e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.getMethod(), path, e);
            reply = error(new ApiException(500, "internal_error", "internal error: " + e, null));
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, reply.immutable() ? "public, max-age=86400" : "no-cache");
        if (reply.status() == 405) {
            response.getHeaders().put(HttpHeader.ALLOW, path.endsWith(ACK_SUFFIX) ? "POST" : "GET, HEAD");
        }
        if (bodyUnread(request)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        boolean head = "HEAD".equals(request.getMethod());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
        metrics.observe(route[0], reply.status(), System.nanoTime() - t0);
        return true;
    }

    /**
     * {@code /api/export}: checks the parameters and opens the export's store first, so a bad
     * request or a database that is down is a JSON error; then streams the CSV. A failure after the
     * first byte can only abort the response (the client sees a truncated transfer, never a
     * complete-looking file).
     */
    private boolean export(Request request, Response response, Callback callback, String path, long t0) {
        boolean messages = path.equals(EXPORT_MESSAGES);
        ExportRequest ex;
        org.cea.tsdb.Store store;
        try {
            ex = endpoints.export(params(query(request), messages ? Set.of("from", "to", "format")
                    : Set.of("sensors", "from", "to", "format")), messages);
            store = endpoints.openExport();
        } catch (ApiException e) {
            Reply reply = error(e);
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
            metrics.observe(path, reply.status(), System.nanoTime() - t0);
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + ex.filename() + "\"");
        try (store; java.io.OutputStream out = org.eclipse.jetty.io.Content.Sink.asOutputStream(response)) {
            long rows = messages ? CsvExport.messages(store, ex.from(), ex.to(), out)
                    : CsvExport.readings(store, ex.sensors(), ex.from(), ex.to(), out);
            LOG.info("export {} {}..{}: {} rows", messages ? "can_messages" : ex.sensors(), ex.from(), ex.to(), rows);
            callback.succeeded();
            metrics.observe(path, 200, System.nanoTime() - t0);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("export {} aborted: {}", path, e.toString());
            metrics.observe(path, 500, System.nanoTime() - t0);
            callback.failed(e);
        }
        return true;
    }

    private Reply dispatch(Request request, String path, String[] route) {
        String method = request.getMethod();
        if (path.startsWith(ALERTS_PREFIX) && path.endsWith(ACK_SUFFIX)) {
            route[0] = "/api/alerts/{id}/ack";
            return ack(request, path, method);
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            route[0] = "method_not_allowed";
            throw new ApiException(405, "method_not_allowed", "method " + method + " not allowed; this API is read-only (GET)", null);
        }
        StaticContent.File file = content.get(path);
        if (file != null) {
            route[0] = path.startsWith("/webjars/") ? "/webjars" : path;
            return new Reply(200, file.contentType(), file.body(), file.immutable());
        }
        Map<String, List<String>> raw = query(request);
        route[0] = path;   // a fixed route is its own label; the others set theirs below
        Reply fixed = fixedRoute(path, raw);
        if (fixed != null) {
            return fixed;
        }
        if (path.startsWith("/api/sensors/")) {
            String rest = path.substring("/api/sensors/".length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                route[0] = "/api/sensors/{name}";
                return endpoints.sensor(rest, params(raw, Set.of()));
            }
            if (rest.substring(slash).equals("/history")) {
                route[0] = "/api/sensors/{name}/history";
                return endpoints.history(rest.substring(0, slash), params(raw, Set.of("from", "to", "points")));
            }
        }
        route[0] = "not_found";
        throw ApiException.notFound("no such path: " + path + " (see /api/openapi.json)");
    }

    /** {@code POST /api/alerts/{id}/ack}. */
    private Reply ack(Request request, String path, String method) {
        if (!"POST".equals(method)) {
            throw new ApiException(405, "method_not_allowed", "acknowledge with POST and a JSON body {\"by\": ..., \"note\": ...}", null);
        }
        params(query(request), Set.of());
        String id = path.substring(ALERTS_PREFIX.length(), path.length() - ACK_SUFFIX.length());
        return endpoints.alerts().ack(id, body(request));
    }

    /** The routes without a path parameter; null when {@code path} is none of them. */
    private Reply fixedRoute(String path, Map<String, List<String>> raw) {
        return switch (path) {
            case "/health" -> endpoints.health(params(raw, Set.of()));
            case "/metrics" -> {
                params(raw, Set.of());
                yield new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render().getBytes(StandardCharsets.UTF_8), false);
            }
            case "/api/sensors" -> endpoints.sensors(params(raw, Set.of()));
            case "/api/messages" -> endpoints.messages(params(raw, Set.of("limit", "type", "node", "after_id")));
            case "/api/alerts" -> endpoints.alerts().active(params(raw, Set.of()));
            case "/api/alerts/history" -> endpoints.alerts().history(params(raw, Set.of("from", "to", "limit", "alert",
                    "rule", "room")));
            case "/api/summaries" -> endpoints.summaries(params(raw, Set.of("room", "from", "to", "sensors")));
            case "/api/stats" -> endpoints.stats(params(raw, Set.of("from", "to")));
            default -> null;
        };
    }

    /**
     * The request body as UTF-8 text: the only body the API takes is an acknowledgement, a small
     * JSON object, so it must be declared {@code application/json} (which a cross-site HTML form
     * cannot send without a CORS preflight) and be at most {@link #MAX_BODY} bytes.
     */
    private static String body(Request request) {
        // the body is read (bounded) before anything is refused: see bodyUnread
        byte[] b;
        try (java.io.InputStream in = org.eclipse.jetty.io.Content.Source.asInputStream(request)) {
            b = in.readNBytes(MAX_BODY + 1);
            // readNBytes returns fewer bytes than asked only at the end of the body
            if (b.length <= MAX_BODY || in.readNBytes(DRAIN_BODY).length < DRAIN_BODY) {
                request.setAttribute(BODY_READ, Boolean.TRUE);
            }
        } catch (java.io.IOException e) {
            throw ApiException.badParameter(null, "cannot read the request body: " + e.getMessage());
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "send the body as Content-Type: application/json, was "
                    + (type == null ? "none" : "'" + type + "'"), null);
        }
        if (b.length > MAX_BODY) {
            throw new ApiException(413, "payload_too_large", "request body larger than " + MAX_BODY + " bytes", null);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Whether the request came with a body this handler did not read to its end. Jetty closes such a
     * connection once the reply is sent, and the reply has already gone out without
     * {@code Connection: close}; a client that reuses the connection for its next request then gets
     * "connection closed" instead of an answer (java.net.http does not retry a POST). Such a reply
     * says {@code Connection: close} instead.
     */
    private static boolean bodyUnread(Request request) {
        boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        return hasBody && request.getAttribute(BODY_READ) == null;
    }

    private QueryParams params(Map<String, List<String>> raw, Set<String> allowed) {
        return QueryParams.of(raw, allowed).inZone(endpoints.zone());
    }

    private static Map<String, List<String>> query(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw ApiException.badParameter(null, "malformed query string: " + e.getMessage());
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            m.put(f.getName(), f.getValues());
        }
        return m;
    }

    private static Reply error(ApiException e) {
        Map<String, Object> body = Json.obj("error", e.code(), "status", e.status(), "message", e.getMessage());
        if (e.parameter() != null) {
            body.put("parameter", e.parameter());
        }
        return Reply.json(e.status(), body);
    }
}
