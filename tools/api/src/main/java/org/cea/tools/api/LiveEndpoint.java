package org.cea.tools.api;

import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /ws/live} connection. Public only because Jetty binds listener methods through
 * public method handles; created by {@link LiveHub#newClient()}. Clients send nothing the server
 * needs: text from them is ignored.
 */
public final class LiveEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(LiveEndpoint.class);
    private final LiveHub hub;
    private volatile Session session;

    LiveEndpoint(LiveHub hub) {
        this.hub = hub;
    }

    /** Registers the session with the hub, which sends it a snapshot. */
    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        hub.opened(s);
    }

    /** Ignored: the feed is one-way. */
    @Override
    public void onWebSocketText(String message) {
        LOG.trace("ignoring client text of {} chars", message.length());
    }

    /** Unregisters the session. */
    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        hub.closed(session);
    }

    /** Unregisters the session. */
    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket client error: {}", cause.toString());
        hub.closed(session);
    }
}
