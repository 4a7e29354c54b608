package org.cea.redisio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP2 replies from a socket through a private buffer: an unsynchronized hot path for the
 * replies of a whole batch, whose XADD ids are skipped unread ({@link #readXaddReply}). Not
 * thread-safe.
 */
final class RespReplyReader {
    private final InputStream in;
    private final byte[] rbuf = new byte[64 * 1024];
    private int rpos;
    private int rlen;

    RespReplyReader(InputStream in) {
        this.in = in;
    }

    /** An XADD reply: null for a bulk id (skipped unread), the error otherwise. */
    RespError readXaddReply() throws IOException {
        int type = readByte();
        if (type == '$') {
            long n = readLong();
            if (n >= 0) {
                skip(n + 2);
            }
            return null;
        }
        return unexpected(type);
    }

    /**
     * Any reply: a {@code String} (simple or bulk string), a {@link RespError}, a {@code Long}, a
     * {@code List} of replies, or null (a null bulk string).
     *
     * @throws IOException the connection failed or the bytes are not RESP
     */
    Object readReply() throws IOException {
        return readTyped(readByte());
    }

    private RespError unexpected(int type) throws IOException {
        if (type == '-') {
            return new RespError(readLine());
        }
        Object o = readTyped(type);
        return new RespError("unexpected reply " + o);
    }

    private Object readTyped(int type) throws IOException {
        switch (type) {
            case '+':
                return readLine();
            case '-':
                return new RespError(readLine());
            case ':':
                return readLong();
            case '$':
                return readBulk();
            case '*': {
                long n = readLong();
                List<Object> l = new ArrayList<>((int) Math.max(0, n));
                for (long i = 0; i < n; i++) {
                    l.add(readReply());
                }
                return l;
            }
            default:
                throw new IOException("protocol error: unexpected reply type byte " + type);
        }
    }

    private String readBulk() throws IOException {
        long n = readLong();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[(int) n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) readByte();
        }
        skip(2);
        return new String(b, StandardCharsets.UTF_8);
    }

    private int readByte() throws IOException {
        if (rpos == rlen) {
            rlen = in.read(rbuf, 0, rbuf.length);
            rpos = 0;
            if (rlen <= 0) {
                rlen = 0;
                throw new IOException("connection closed by server");
            }
        }
        return rbuf[rpos++] & 0xFF;
    }

    private long readLong() throws IOException {
        long v = 0;
        boolean neg = false;
        int b = readByte();
        if (b == '-') {
            neg = true;
            b = readByte();
        }
        while (b != '\r') {
            v = v * 10 + (b - '0');
            b = readByte();
        }
        readByte();
        return neg ? -v : v;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = readByte(); b != '\r'; b = readByte()) {
            sb.append((char) b);
        }
        readByte();
        return sb.toString();
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (rpos == rlen) {
                readByte();
                left--;
                continue;
            }
            int k = (int) Math.min(left, rlen - rpos);
            rpos += k;
            left -= k;
        }
    }
}
