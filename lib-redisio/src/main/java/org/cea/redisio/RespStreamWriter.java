package org.cea.redisio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;
import org.cea.candecode.CanFrame;

/**
 * {@link StreamWriter} speaking RESP on its own socket. The hot path encodes each XADD straight
 * into one reusable byte buffer and skips the reply bodies it does not need: measured with
 * scripts/bench-scanner.sh, building commands through Jedis's argument objects cost about twice
 * the CPU per frame of this encoder, which decides the ratio to redis-benchmark on a busy
 * Raspberry Pi. Connection setup (AUTH, SELECT, TLS) follows {@link RedisConfig}.
 */
final class RespStreamWriter implements StreamWriter {
    /** Redis's error text when an explicit id is not above the stream top. */
    static final String ID_NOT_ABOVE_TOP = "equal or smaller than the target stream top item";
    private static final byte[] XADD = ascii("XADD");
    private static final byte[] XLEN = ascii("XLEN");
    private static final byte[] MAXLEN = ascii("MAXLEN");
    private static final byte[] APPROX = ascii("~");
    // Field names as whole bulk strings ("$2\r\nid\r\n"): copied, not re-encoded, for every entry.
    private static final byte[] F_ID = bulkBytes(StreamSchema.F_ID);
    private static final byte[] F_DATA = bulkBytes(StreamSchema.F_DATA);
    private static final byte[] F_TS = bulkBytes(StreamSchema.F_TS);
    private static final byte[] F_DLC = bulkBytes(StreamSchema.F_DLC);
    private static final byte[] F_TS_US = bulkBytes(StreamSchema.F_TS_US);
    private static final byte[] F_FLAGS = bulkBytes(StreamSchema.F_FLAGS);
    /** Arguments of an XADD without / with the flags field. */
    private static final int XADD_ARGS = 16;
    private static final int XADD_ARGS_FLAGS = 18;
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** The two upper-case hex digits of every byte value: HEX_PAIRS[2 * b], HEX_PAIRS[2 * b + 1]. */
    private static final byte[] HEX_PAIRS = hexPairs();
    private static final String[] UNAVAILABLE_PREFIXES = {"OOM", "LOADING", "BUSY", "READONLY", "MASTERDOWN",
        "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "NOAUTH"};

    private final RedisConfig config;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] key;
    private final byte[] cap;
    /** {@code *16 XADD key MAXLEN ~ cap} encoded once: the part of every entry that never changes. */
    private final byte[] xaddPrefix;
    /** The same with the {@code *18} header, for entries with a flags field. */
    private final byte[] xaddPrefixFlags;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] digits = new byte[20];
    private final byte[] rbuf = new byte[64 * 1024];
    private int rpos;
    private int rlen;
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private String lastId;
    /** The millisecond part of the last entry id encoded, and its digits. */
    private long idMs = -1;
    private final byte[] idMsDigits = new byte[20];
    private int idMsLen;

    private RespStreamWriter(RedisConfig config, Socket socket, StreamWriterSettings settings) throws IOException {
        this.config = config;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.key = ascii(settings.stream());
        this.cap = ascii(Long.toString(settings.maxLen()));
        this.xaddPrefix = commandPrefix(XADD_ARGS);
        this.xaddPrefixFlags = commandPrefix(XADD_ARGS_FLAGS);
    }

    private byte[] commandPrefix(int args) {
        pos = 0;
        arrayHeader(args);
        bulk(XADD);
        bulk(key);
        bulk(MAXLEN);
        bulk(APPROX);
        bulk(cap);
        byte[] prefix = Arrays.copyOf(buf, pos);
        pos = 0;
        return prefix;
    }

    static RespStreamWriter connect(RedisConfig config, StreamWriterSettings settings) {
        Socket s = new Socket();
        RespStreamWriter w = null;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(config.socketTimeoutMs());
            s.connect(new InetSocketAddress(config.host(), config.port()), config.connectTimeoutMs());
            Socket io = config.ssl()
                    ? ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, config.host(), config.port(), true)
                    : s;
            w = new RespStreamWriter(config, io, settings);
            w.handshake();
            w.lastId = w.readLastGeneratedId(settings.stream());
            return w;
        } catch (IOException e) {
            closeQuietly(s, w);
            throw new RedisUnavailableException("connect to " + config.maskedUrl() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(s, w);
            throw e;
        }
    }

    private static void closeQuietly(Socket s, RespStreamWriter w) {
        if (w != null) {
            w.close();
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private void handshake() throws IOException {
        if (config.password() != null) {
            List<byte[]> auth = new ArrayList<>(List.of(ascii("AUTH")));
            if (config.user() != null) {
                auth.add(config.user().getBytes(StandardCharsets.UTF_8));
            }
            auth.add(config.password().getBytes(StandardCharsets.UTF_8));
            expectOk("AUTH", command(auth.toArray(new byte[0][])));
        }
        if (config.database() != 0) {
            expectOk("SELECT " + config.database(), command(ascii("SELECT"), ascii(Integer.toString(config.database()))));
        }
    }

    private void expectOk(String op, Object reply) {
        if (reply instanceof RespError e) {
            throw classify(op, e.message());
        }
    }

    private String readLastGeneratedId(String stream) throws IOException {
        Object reply = command(ascii("XINFO"), ascii("STREAM"), key);
        if (reply instanceof RespError e) {
            if (e.message().contains("no such key")) {
                return "0-0";
            }
            throw classify("XINFO STREAM " + stream, e.message());
        }
        if (reply instanceof List<?> l) {
            for (int i = 0; i + 1 < l.size(); i += 2) {
                if ("last-generated-id".equals(l.get(i))) {
                    return String.valueOf(l.get(i + 1));
                }
            }
        }
        throw new RedisIoException("XINFO STREAM " + stream + " on " + config.maskedUrl()
                + ": reply has no last-generated-id");
    }

    private Object command(byte[]... args) throws IOException {
        pos = 0;
        arrayHeader(args.length);
        for (byte[] a : args) {
            bulk(a);
        }
        out.write(buf, 0, pos);
        out.flush();
        return readReply();
    }

    @Override
    public BatchResult write(List<FrameEntry> entries) {
        send(entries);
        return receive(entries);
    }

    @Override
    public void send(List<FrameEntry> entries) {
        if (closed.get()) {
            throw new IllegalStateException("stream writer for " + config.maskedUrl() + " is closed");
        }
        if (entries.isEmpty()) {
            return;
        }
        try {
            pos = 0;
            for (FrameEntry e : entries) {
                encodeXadd(e);
            }
            arrayHeader(2);
            bulk(XLEN);
            bulk(key);
            out.write(buf, 0, pos);
            out.flush();
        } catch (IOException e) {
            close();
            throw new RedisUnavailableException("XADD batch of " + entries.size() + " to " + config.maskedUrl()
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public BatchResult receive(List<FrameEntry> entries) {
        if (entries.isEmpty()) {
            return new BatchResult(0, 0, 0);
        }
        int written = 0;
        int duplicates = 0;
        long length;
        List<FrameEntry> refused = List.of();
        int refusedBehind = 0;
        String refusal = null;
        try {
            for (int i = 0; i < entries.size(); i++) {
                RespError err = readXaddReply();
                if (err == null) {
                    written++;
                    refusedBehind = refused.size();
                } else if (err.message().contains(ID_NOT_ABOVE_TOP)) {
                    duplicates++;
                    refusedBehind = refused.size();
                } else {
                    if (refused.isEmpty()) {
                        refused = new ArrayList<>();
                        refusal = "XADD " + entries.get(i).entryId() + " to " + new String(key, StandardCharsets.UTF_8)
                                + " on " + config.maskedUrl() + " refused: " + err.message();
                    }
                    refused.add(entries.get(i));
                }
            }
            Object len = readReply();
            length = len instanceof Long l ? l : 0;
        } catch (IOException e) {
            close();
            throw new RedisUnavailableException("XADD batch of " + entries.size() + " to " + config.maskedUrl()
                    + " failed: " + e.getMessage(), e);
        }
        lastId = entries.get(entries.size() - 1).entryId();
        return new BatchResult(written, duplicates, length, refused, refusedBehind, refusal);
    }

    /**
     * One XADD into {@link #buf}. A measured hot path (scripts/bench-scanner.sh): the constant
     * prefix and field names are copied as pre-encoded bytes, lengths are known without counting.
     */
    private void encodeXadd(FrameEntry e) {
        CanFrame f = e.frame();
        boolean flags = f.rtr() || f.error() || f.fd();
        // prefix + id + 5 field names + values (data: up to 64 bytes as "XX " = 191 chars)
        ensure(xaddPrefixFlags.length + 512);
        raw(flags ? xaddPrefixFlags : xaddPrefix);
        bulkEntryId(e);
        raw(F_ID);
        bulkId(f.id(), f.extended());
        raw(F_DATA);
        bulkData(f);
        // ts is ts_us / 1000: the digits of ts_us are converted once and ts is their prefix
        int n = digitsOf(f.timestampMicros());
        raw(F_TS);
        bulkDigitsPrefix(n);
        raw(F_DLC);
        bulkSmall(f.dlc());
        raw(F_TS_US);
        bulkDigits(n);
        if (flags) {
            raw(F_FLAGS);
            bulkAscii((f.rtr() ? "R" : "") + (f.error() ? "E" : "") + (f.fd() ? "F" : ""));
        }
    }

    /** Copies pre-encoded protocol bytes (the caller has ensured room). */
    private void raw(byte[] b) {
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
            System.arraycopy(buf, 0, bigger, 0, pos);
            buf = bigger;
        }
    }

    private void arrayHeader(int n) {
        ensure(16);
        buf[pos++] = '*';
        putDigits(n);
        crlf();
    }

    private void lengthHeader(int n) {
        ensure(16 + n);
        buf[pos++] = '$';
        putDigits(n);
        crlf();
    }

    private void crlf() {
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    private void bulk(byte[] b) {
        lengthHeader(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        crlf();
    }

    private void bulkAscii(String s) {
        int n = s.length();
        lengthHeader(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        crlf();
    }

    /** The entry id: as given when it was given as text, else {@code <ms>-<seq>} from the numbers. */
    private void bulkEntryId(FrameEntry e) {
        String given = e.givenId();
        if (given != null) {
            bulkAscii(given);
            return;
        }
        long ms = e.millis();
        long seq = e.seq();
        if (ms != idMs) {
            // hundreds of entries share a millisecond at full speed: convert its digits once
            idMs = ms;
            idMsLen = decimalLength(ms);
            long t = ms;
            for (int i = idMsLen - 1; i >= 0; i--, t /= 10) {
                idMsDigits[i] = (byte) ('0' + t % 10);
            }
        }
        int ns = decimalLength(seq);
        lengthHeader(idMsLen + 1 + ns);
        System.arraycopy(idMsDigits, 0, buf, pos, idMsLen);
        pos += idMsLen;
        buf[pos++] = '-';
        putLong(seq, ns);
        crlf();
    }

    private static int decimalLength(long v) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        return n;
    }

    /** Writes the {@code n} decimal digits of {@code v} (&gt;= 0) at {@link #pos}. */
    private void putLong(long v, int n) {
        long t = v;
        for (int i = pos + n - 1; i >= pos; i--, t /= 10) {
            buf[i] = (byte) ('0' + t % 10);
        }
        pos += n;
    }

    /** The last {@code n} digits written by {@link #digitsOf} as a bulk string. */
    private void bulkDigits(int n) {
        lengthHeader(n);
        System.arraycopy(digits, digits.length - n, buf, pos, n);
        pos += n;
        crlf();
    }

    /**
     * The value of the last {@code n} digits from {@link #digitsOf} divided by 1000, as a bulk
     * string: those digits without their last three, or 0.
     */
    private void bulkDigitsPrefix(int n) {
        if (n <= 3) {
            lengthHeader(1);
            buf[pos++] = '0';
        } else {
            lengthHeader(n - 3);
            System.arraycopy(digits, digits.length - n, buf, pos, n - 3);
            pos += n - 3;
        }
        crlf();
    }

    /** A small non-negative count as a bulk string, leaving {@link #digits} alone. */
    private void bulkSmall(int v) {
        int n = v < 10 ? 1 : v < 100 ? 2 : decimalLength(v);
        lengthHeader(n);
        putDigits(v);
        crlf();
    }

    /** {@code 0x123} or {@code 0x00000123}, as {@link org.cea.candecode.Hex#formatId}. */
    private void bulkId(int id, boolean extended) {
        int width = extended ? 8 : 3;
        lengthHeader(2 + width);
        buf[pos++] = '0';
        buf[pos++] = 'x';
        for (int i = width - 1; i >= 0; i--) {
            buf[pos++] = HEX[(id >>> (4 * i)) & 0xF];
        }
        crlf();
    }

    /** Upper-case hex pairs separated by single spaces, as {@link org.cea.candecode.Hex#spaced}. */
    private void bulkData(CanFrame f) {
        int n = f.length();
        int len = n == 0 ? 0 : n * 3 - 1;
        lengthHeader(len);
        for (int i = 0; i < n; i++) {
            int b = f.byteAt(i);
            if (i > 0) {
                buf[pos++] = ' ';
            }
            buf[pos++] = HEX_PAIRS[2 * b];
            buf[pos++] = HEX_PAIRS[2 * b + 1];
        }
        crlf();
    }

    /** Writes a small non-negative count in place (headers), leaving {@link #digits} alone. */
    private void putDigits(int v) {
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        if (v < 100) {
            buf[pos++] = (byte) ('0' + v / 10);
            buf[pos++] = (byte) ('0' + v % 10);
            return;
        }
        int n = 1;
        for (int t = v; t >= 10; t /= 10) {
            n++;
        }
        for (int i = pos + n - 1, t = v; i >= pos; i--, t /= 10) {
            buf[i] = (byte) ('0' + t % 10);
        }
        pos += n;
    }

    /** Writes the decimal digits of {@code v} (&gt;= 0) at the end of {@link #digits}; returns the count. */
    private int digitsOf(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v);
        }
        int i = digits.length;
        do {
            digits[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return digits.length - i;
    }

    /** An XADD reply: null for a bulk id (skipped unread), the error otherwise. */
    private RespError readXaddReply() throws IOException {
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

    private RespError unexpected(int type) throws IOException {
        if (type == '-') {
            return new RespError(readLine());
        }
        Object o = readTyped(type);
        return new RespError("unexpected reply " + o);
    }

    private Object readReply() throws IOException {
        return readTyped(readByte());
    }

    private Object readTyped(int type) throws IOException {
        switch (type) {
            case '+':
                return readLine();
            case '-':
                return new RespError(readLine());
            case ':':
                return readLong();
            case '$': {
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

    /** Reads from a private buffer: an unsynchronized hot path for the replies of a whole batch. */
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

    private RedisIoException classify(String op, String message) {
        for (String p : UNAVAILABLE_PREFIXES) {
            if (message.startsWith(p)) {
                return new RedisUnavailableException(op + " on " + config.maskedUrl() + " refused: " + message, null);
            }
        }
        return new RedisIoException(op + " on " + config.maskedUrl() + " failed: " + message);
    }

    @Override
    public String lastId() {
        return lastId;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the socket is gone either way
            }
        }
    }

    private static byte[] hexPairs() {
        byte[] t = new byte[512];
        for (int b = 0; b < 256; b++) {
            t[2 * b] = HEX[b >>> 4];
            t[2 * b + 1] = HEX[b & 0xF];
        }
        return t;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code s} as a complete RESP bulk string. */
    private static byte[] bulkBytes(String s) {
        return ascii("$" + s.length() + "\r\n" + s + "\r\n");
    }

    /** An error reply. */
    private record RespError(String message) {
    }

    @Override
    public String toString() {
        return "StreamWriter[" + config.maskedUrl() + ", " + new String(key, StandardCharsets.UTF_8) + "]";
    }
}
