package org.cea.tools.scanner;

/** The CAN socket cannot be opened or read; the message is one line saying what to do. */
final class SocketCanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SocketCanException(String message) {
        super(message);
    }
}
