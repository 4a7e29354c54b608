package org.cea.tools.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request, WebSocket upgrades included: refuses a {@code Host} the
 * server does not answer to (421, against DNS rebinding), an {@code Origin} of another site (403,
 * against cross-site WebSocket hijacking and form posts) and, when a token is set, a request
 * without it (401). Each refusal is counted in {@link Metrics} and logged at DEBUG (a scanner on
 * the network must not fill the journal).
 */
final class AccessGuard extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);
    private final ApiAccess access;
    private final Metrics metrics;
    private final String allowedList;

    AccessGuard(ApiAccess access, Metrics metrics, Handler next) {
        super(next);
        this.access = access;
        this.metrics = metrics;
        this.allowedList = String.join(", ", new TreeSet<>(access.allowedHosts()));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (!access.hostAllowed(host)) {
            return refuse(request, response, callback, 421, "misdirected_request", "Host '" + host
                    + "' is not a name this server answers to (allowed: " + allowedList
                    + "); add it with --allowed-hosts or API_ALLOWED_HOSTS");
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!access.originAllowed(origin)) {
            return refuse(request, response, callback, 403, "forbidden_origin", "Origin '" + origin
                    + "' is not allowed (allowed hosts: " + allowedList
                    + "); add its host with --allowed-hosts or API_ALLOWED_HOSTS");
        }
        if (!access.authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"can-api\", charset=\"UTF-8\"");
            return refuse(request, response, callback, 401, "unauthorized", "this can-api requires its token:"
                    + " send 'Authorization: Bearer TOKEN' (or HTTP Basic auth with the token as the password)");
        }
        return super.handle(request, response, callback);
    }

    private boolean refuse(Request request, Response response, Callback callback, int status, String code, String message) {
        metrics.accessRefused(code);
        LOG.debug("refused {} {} from {}: {}", request.getMethod(), Request.getPathInContext(request),
                Request.getRemoteAddr(request), message);
        byte[] body = Json.write(Json.obj("error", code, "status", status, "message", message)).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
