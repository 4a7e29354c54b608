package org.cea.tools.api;

/**
 * A request that cannot be answered, with the HTTP status and a message that says what was wrong.
 * Rendered as {@code {"error": code, "status": n, "message": ..., "parameter": ...}}.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String parameter;

    ApiException(int status, String code, String message, String parameter) {
        super(message);
        this.status = status;
        this.code = code;
        this.parameter = parameter;
    }

    /** 400 about one query parameter. */
    static ApiException badParameter(String parameter, String message) {
        return new ApiException(400, "bad_request", message, parameter);
    }

    /** 404 for a thing that does not exist. */
    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    /** 503 when a backend (Redis or the database) cannot be reached. */
    static ApiException unavailable(String backend, String message) {
        return new ApiException(503, backend + "_unavailable", message, null);
    }

    /** HTTP status. */
    int status() {
        return status;
    }

    /** Machine-readable error code, e.g. {@code bad_request}. */
    String code() {
        return code;
    }

    /** The offending query parameter, or null. */
    String parameter() {
        return parameter;
    }
}
