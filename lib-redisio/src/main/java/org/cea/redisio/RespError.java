package org.cea.redisio;

/**
 * A RESP error reply ({@code -ERR ...}), as read by {@link RespReplyReader}.
 *
 * @param message the error line without its {@code -}
 */
record RespError(String message) {
}
