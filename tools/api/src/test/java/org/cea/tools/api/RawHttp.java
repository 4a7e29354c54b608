package org.cea.tools.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not send (a {@code Host}
 * header of our choosing) and for WebSocket clients that upgrade and then never read.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A parsed response head and (for non-101 answers) its body. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    /**
     * Sends one request with the given extra header lines ({@code "Host: x"}) and reads the answer.
     * A {@code Host} line is added only when {@code headers} has none.
     */
    static Answer get(int port, String path, String... headers) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            write(s.getOutputStream(), "GET", path, port, headers);
            return read(s.getInputStream(), true);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " on port " + port + " failed", e);
        }
    }

    /**
     * Opens a WebSocket upgrade of {@code /ws/live} and reads the answer head; the socket stays open
     * (and, after a 101, unread) for the caller to close.
     *
     * @param receiveBuffer the socket's receive buffer, bytes (small for a client that never reads)
     */
    static Socket upgrade(int port, int receiveBuffer, Answer[] answer, String... headers) throws IOException {
        Socket s = new Socket();
        try {
            s.setReceiveBufferSize(receiveBuffer);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            String[] all = new String[headers.length + 4];
            all[0] = "Upgrade: websocket";
            all[1] = "Connection: Upgrade";
            all[2] = "Sec-WebSocket-Key: " + key;
            all[3] = "Sec-WebSocket-Version: 13";
            System.arraycopy(headers, 0, all, 4, headers.length);
            write(s.getOutputStream(), "GET", ApiServer.WS_PATH, port, all);
            answer[0] = read(s.getInputStream(), false);
            if (answer[0].status() != 101) {
                s.close();
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * On one kept-alive connection: sends a POST head, waits {@code bodyDelayMs}, sends the body
     * (so the server may answer before it arrives, as with a client that writes them separately),
     * reads the answer; then, unless that answer said {@code Connection: close}, sends
     * {@code GET nextPath} on the same connection and reads that answer too.
     *
     * @return the answers, one or two
     */
    static java.util.List<Answer> postThenGet(int port, String path, String type, byte[] body, long bodyDelayMs,
            String nextPath) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + type
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(bodyDelayMs);
            out.write(body);
            out.flush();
            java.util.List<Answer> answers = new java.util.ArrayList<>();
            answers.add(read(s.getInputStream(), true));
            if (!"close".equalsIgnoreCase(answers.get(0).headers().getOrDefault("connection", ""))) {
                out.write(("GET " + nextPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                answers.add(read(s.getInputStream(), true));
            }
            return answers;
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " then GET " + nextPath + " on port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, String method, String path, int port, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
            b.append(h).append("\r\n");
        }
        if (!host) {
            b.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        if (!method.isEmpty() && !String.join("\n", headers).contains("Upgrade:")) {
            b.append("Connection: close\r\n");
        }
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Answer read(InputStream in, boolean withBody) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = "";
        if (withBody && status != 101) {
            String len = h.get("content-length");
            byte[] b = len == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(len));
            body = new String(b, StandardCharsets.UTF_8);
        }
        return new Answer(status, h, body);
    }
}
