package org.cea.automation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program per notification (the desktop path: {@code bin/cea-alert-window} opens a terminal
 * window on the Pi's desktop like the failure handler, else writes to {@code wall} and the journal).
 * The body goes to its stdin; {@code CEA_ALERT_TITLE}, {@code CEA_ALERT_ID}, {@code CEA_ALERT_SEVERITY},
 * {@code CEA_ALERT_TRANSITION} and {@code CEA_ALERT_EVENT} are in its environment (nothing in argv).
 * Exit 0 is delivery.
 */
final class CommandNotifier implements Notifier {
    private final AutomationConfig.Notifier cfg;

    CommandNotifier(AutomationConfig.Notifier cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return cfg.name();
    }

    @Override
    public void send(Notification n) throws NotifyException {
        ProcessBuilder pb = new ProcessBuilder(cfg.command().argv()).redirectErrorStream(true);
        pb.environment().put("CEA_ALERT_TITLE", n.title());
        pb.environment().put("CEA_ALERT_ID", n.alert().id());
        pb.environment().put("CEA_ALERT_SEVERITY", n.alert().severity());
        pb.environment().put("CEA_ALERT_TRANSITION", n.event().transition());
        pb.environment().put("CEA_ALERT_EVENT", n.key());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new NotifyException("command " + cfg.name() + " " + cfg.command().argv().get(0) + ": cannot start: "
                    + e.getMessage(), false, e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(n.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program may exit without reading its input; its exit status decides
        }
        try {
            if (!p.waitFor(cfg.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new NotifyException("command " + cfg.name() + " did not finish within " + cfg.timeout().toSeconds()
                        + " s", true, null);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new NotifyException("command " + cfg.name() + " exited " + p.exitValue() + ": "
                        + (out.length() > 200 ? out.substring(0, 200) + "…" : out), true, null);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NotifyException("command " + cfg.name() + ": interrupted", true, e);
        } catch (IOException e) {
            throw new NotifyException("command " + cfg.name() + ": " + e.getMessage(), true, e);
        }
    }
}
