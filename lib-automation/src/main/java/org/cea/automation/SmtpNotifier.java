package org.cea.automation;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Date;
import java.util.Properties;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * E-mail over SMTP (Jakarta Mail): STARTTLS required by default (the session fails rather than
 * send in clear), SMTPS or none on request; AUTH with a user and password from the environment;
 * server certificates checked against the JDK's trust store or a configured PKCS12 one (a private
 * CA), host name verified. One message per notification, {@code Message-ID} derived from the event
 * key so mail clients drop a repeat.
 */
final class SmtpNotifier implements Notifier {
    private final AutomationConfig.Notifier cfg;
    private final Session session;
    private final String display;

    SmtpNotifier(AutomationConfig.Notifier cfg, Function<String, String> env) {
        this.cfg = cfg;
        AutomationConfig.Smtp s = cfg.smtp();
        this.display = s.host() + ":" + s.port() + " (" + s.tls() + ")";
        String proto = "smtps".equals(s.tls()) ? "smtps" : "smtp";
        Properties p = new Properties();
        String pre = "mail." + proto + ".";
        p.put("mail.transport.protocol", proto);
        p.put(pre + "host", s.host());
        p.put(pre + "port", Integer.toString(s.port()));
        p.put(pre + "connectiontimeout", Long.toString(cfg.timeout().toMillis()));
        p.put(pre + "timeout", Long.toString(cfg.timeout().toMillis()));
        p.put(pre + "writetimeout", Long.toString(cfg.timeout().toMillis()));
        p.put(pre + "ssl.checkserveridentity", "true");
        if (s.tls().startsWith("starttls")) {
            p.put(pre + "starttls.enable", "true");
            p.put(pre + "starttls.required", Boolean.toString("starttls".equals(s.tls())));
        }
        if (s.trustStore() != null) {
            p.put(pre + "ssl.socketFactory", trust(s, env).getSocketFactory());
        }
        Authenticator auth = null;
        if (s.userEnv() != null) {
            String user = required(env, s.userEnv(), "user");
            String password = s.passwordEnv() == null ? "" : required(env, s.passwordEnv(), "password");
            p.put(pre + "auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    private String required(Function<String, String> env, String var, String what) {
        String v = env.apply(var);
        if (v == null) {
            throw new AutomationConfigException("notifier " + cfg.name() + ": environment variable " + var + " (SMTP "
                    + what + ") is not set");
        }
        return v;
    }

    private SSLContext trust(AutomationConfig.Smtp s, Function<String, String> env) {
        char[] pw = s.trustStorePasswordEnv() == null ? new char[0]
                : required(env, s.trustStorePasswordEnv(), "trust store password").toCharArray();
        try (InputStream in = Files.newInputStream(s.trustStore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new AutomationConfigException("notifier " + cfg.name() + ": trust store " + s.trustStore()
                    + " cannot be read as PKCS12: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return cfg.name();
    }

    @Override
    public void send(Notification n) throws NotifyException {
        AutomationConfig.Smtp s = cfg.smtp();
        String messageId = "<" + n.key().replaceAll("[^A-Za-z0-9._-]", ".") + "@cea-automation>";
        try {
            MimeMessage m = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", messageId);
                }
            };
            m.setFrom(new InternetAddress(s.from()));
            for (String to : s.to()) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            m.setSubject(n.title(), "UTF-8");
            m.setSentDate(new Date(n.event().ts()));
            m.setText(n.body(), "UTF-8");
            m.setHeader("X-CEA-Event", n.key());
            m.setHeader("X-Priority", n.priority() >= 5 ? "1" : "3");
            Transport.send(m);
        } catch (SendFailedException e) {
            throw new NotifyException("smtp " + cfg.name() + " " + display + ": refused: " + e.getMessage(), false, e);
        } catch (MessagingException e) {
            throw new NotifyException("smtp " + cfg.name() + " " + display + ": " + e.getMessage()
                    + (e.getNextException() == null ? "" : " (" + e.getNextException().getMessage() + ")"), true, e);
        }
    }

    @Override
    public String toString() {
        return "smtp " + cfg.name() + " " + display;
    }
}
