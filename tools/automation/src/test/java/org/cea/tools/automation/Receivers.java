package org.cea.tools.automation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.cea.testsupport.Processes;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The far ends of the notifiers, real servers on loopback: an HTTP receiver (JDK HttpServer) that
 * keeps every POST, answering 200 (or 503 while {@link #failWebhook} is set), and an SMTP server
 * (SubEtha SMTP) that requires STARTTLS with a certificate made by keytool for this run, and AUTH
 * with a fixed user, and keeps every message.
 */
final class Receivers implements AutoCloseable {
    static final String SMTP_USER = "cea-alerts";
    static final String SMTP_PASSWORD = "s3cret smtp pw";
    static final String TRUST_PASSWORD = "trustpw";
    final List<JsonObject> posts = new CopyOnWriteArrayList<>();
    final List<String> postKeys = new CopyOnWriteArrayList<>();
    final List<String> mails = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    volatile boolean failWebhook;
    private final HttpServer http;
    private final SMTPServer smtp;
    final Path trustStore;

    Receivers(Path dir) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        http.createContext("/alerts", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (failWebhook) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            posts.add(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
            postKeys.add(ex.getRequestHeaders().getFirst("X-CEA-Event"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        http.start();
        Path server = dir.resolve("smtp-server.p12");
        trustStore = dir.resolve("smtp-trust.p12");
        Path cert = dir.resolve("smtp.crt");
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", server.toString(),
                "-storepass", "serverpw", "-keypass", "serverpw");
        keytool("-exportcert", "-alias", "smtp", "-keystore", server.toString(), "-storepass", "serverpw", "-rfc", "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "smtp", "-file", cert.toString(), "-storetype", "PKCS12", "-keystore",
                trustStore.toString(), "-storepass", TRUST_PASSWORD);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(server.toFile())) {
            ks.load(in, "serverpw".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "serverpw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        smtp = SMTPServer.port(Processes.freePort()).bindAddress(InetAddress.getLoopbackAddress()).hostName("localhost")
                .enableTLS().requireTLS().requireAuth().startTlsSocketFactory(ctx)
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, pw, context) -> {
                    if (!SMTP_USER.equals(user) || !SMTP_PASSWORD.equals(pw)) {
                        throw new LoginFailedException("bad credentials for " + user);
                    }
                }))
                .simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        mails.add(new String(data.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }).build();
        smtp.start();
    }

    private static void keytool(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Processes.runOk(cmd, Duration.ofSeconds(60));
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/alerts";
    }

    int smtpPort() {
        return smtp.getPortAllocated();
    }

    /** The notifier configuration for both, as JSON array elements. */
    String notifiersJson() {
        return "[{\"name\":\"webhook\",\"type\":\"webhook\",\"url\":\"" + webhookUrl() + "\",\"topic\":\"cea\","
                + "\"rate_per_minute\":120,\"retry_max_s\":2},"
                + "{\"name\":\"email\",\"type\":\"smtp\",\"host\":\"127.0.0.1\",\"port\":" + smtpPort() + ",\"tls\":\"starttls\","
                + "\"from\":\"cea@farm.test\",\"to\":[\"grower@farm.test\"],\"user_env\":\"CEA_SMTP_USER\","
                + "\"password_env\":\"CEA_SMTP_PASSWORD\",\"trust_store\":\"" + trustStore + "\","
                + "\"trust_store_password_env\":\"CEA_SMTP_TRUST_PASSWORD\",\"rate_per_minute\":120,\"retry_max_s\":2}]";
    }

    /** Webhook posts whose event matches. */
    List<JsonObject> posts(Predicate<JsonObject> event) {
        return posts.stream().filter(p -> event.test(p.getAsJsonObject("event"))).toList();
    }

    /** Mails whose text contains all of the fragments. */
    List<String> mails(String... fragments) {
        return mails.stream().filter(m -> {
            for (String f : fragments) {
                if (!m.contains(f)) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    @Override
    public void close() {
        http.stop(0);
        smtp.stop();
    }
}
