package org.cea.redisio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link StreamWriter} speaking RESP on its own socket. The hot path encodes each XADD straight
 * into one reusable byte buffer ({@link RespEncoder}) and skips the reply bodies it does not need
 * ({@link RespReplyReader}): measured with scripts/bench-scanner.sh, building commands through
 * Jedis's argument objects cost about twice the CPU per frame of this encoder, which decides the
 * ratio to redis-benchmark on a busy Raspberry Pi. This class owns the connection (setup with
 * AUTH, SELECT, TLS as {@link RedisConfig} says), the batch (pipelined XADDs and one XLEN) and
 * what each reply means.
 */
final class RespStreamWriter implements StreamWriter {
    /** Redis's error text when an explicit id is not above the stream top. */
    static final String ID_NOT_ABOVE_TOP = "equal or smaller than the target stream top item";
    private static final String[] UNAVAILABLE_PREFIXES = {"OOM", "LOADING", "BUSY", "READONLY", "MASTERDOWN",
        "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "NOAUTH"};

    private final RedisConfig config;
    private final Socket socket;
    private final OutputStream out;
    private final RespReplyReader in;
    private final byte[] key;
    private final RespEncoder encoder;
    private final AtomicBoolean closed = new AtomicBoolean();
    private String lastId;

    private RespStreamWriter(RedisConfig config, Socket socket, StreamWriterSettings settings) throws IOException {
        this.config = config;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new RespReplyReader(socket.getInputStream());
        this.key = RespEncoder.ascii(settings.stream());
        this.encoder = new RespEncoder(key, settings.maxLen());
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
            List<byte[]> auth = new ArrayList<>(List.of(RespEncoder.ascii("AUTH")));
            if (config.user() != null) {
                auth.add(config.user().getBytes(StandardCharsets.UTF_8));
            }
            auth.add(config.password().getBytes(StandardCharsets.UTF_8));
            expectOk("AUTH", command(auth.toArray(new byte[0][])));
        }
        if (config.database() != 0) {
            expectOk("SELECT " + config.database(),
                    command(RespEncoder.ascii("SELECT"), RespEncoder.ascii(Integer.toString(config.database()))));
        }
    }

    private void expectOk(String op, Object reply) {
        if (reply instanceof RespError e) {
            throw classify(op, e.message());
        }
    }

    private String readLastGeneratedId(String stream) throws IOException {
        Object reply = command(RespEncoder.ascii("XINFO"), RespEncoder.ascii("STREAM"), key);
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
        encoder.reset();
        encoder.command(args);
        encoder.writeTo(out);
        out.flush();
        return in.readReply();
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
            encoder.reset();
            for (FrameEntry e : entries) {
                encoder.xadd(e);
            }
            encoder.xlen();
            encoder.writeTo(out);
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
                RespError err = in.readXaddReply();
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
            Object len = in.readReply();
            length = len instanceof Long l ? l : 0;
        } catch (IOException e) {
            close();
            throw new RedisUnavailableException("XADD batch of " + entries.size() + " to " + config.maskedUrl()
                    + " failed: " + e.getMessage(), e);
        }
        lastId = entries.get(entries.size() - 1).entryId();
        return new BatchResult(written, duplicates, length, refused, refusedBehind, refusal);
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

    @Override
    public String toString() {
        return "StreamWriter[" + config.maskedUrl() + ", " + new String(key, StandardCharsets.UTF_8) + "]";
    }
}
