package org.cea.tools.monitor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cea.tsdb.JobHealth;

/**
 * The database's scheduled jobs as screen lines, the same for both monitors: from lib-tsdb's
 * {@link JobHealth.Report} (database tail) or from the worker's {@code worker:status} field
 * {@code db_jobs} (Redis + backend status). One headline, then one line per job that is not ok.
 */
final class JobLines {
    private JobLines() {
    }

    /** From the database itself. */
    static List<String> of(JobHealth.Report r) {
        List<String[]> jobs = new ArrayList<>();
        for (JobHealth.Verdict v : r.jobs()) {
            jobs.add(new String[] {v.status().label(), v.job().name(), v.why()});
        }
        return lines(r.state().label(), r.reason(), jobs);
    }

    /** From the worker's report; a field that is not the expected JSON says so. */
    static List<String> ofJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            List<String[]> jobs = new ArrayList<>();
            if (o.has("jobs") && o.get("jobs").isJsonArray()) {
                for (JsonElement e : o.getAsJsonArray("jobs")) {
                    JsonObject j = e.getAsJsonObject();
                    jobs.add(new String[] {text(j, "status"), text(j, "name"), text(j, "why")});
                }
            }
            return lines(text(o, "state"), text(o, "reason"), jobs);
        } catch (RuntimeException e) {
            return List.of("db jobs: unreadable report (" + Text.describe(e) + ")");
        }
    }

    /** Whether the worker's report says degraded (false when absent or unreadable). */
    static boolean degraded(String json) {
        if (json == null) {
            return false;
        }
        try {
            return "degraded".equals(text(JsonParser.parseString(json).getAsJsonObject(), "state"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<String> lines(String state, String reason, List<String[]> jobs) {
        List<String> out = new ArrayList<>();
        switch (state) {
            case "ok" -> out.add("db jobs: ok · " + jobs.size() + " scheduled jobs");
            case "degraded" -> out.add("db jobs: DEGRADED — " + reason);
            case "not_applicable" -> out.add("db jobs: not applicable (" + reason + ")");
            default -> out.add("db jobs: " + state + (reason.isEmpty() ? "" : " — " + reason));
        }
        for (String[] j : jobs) {
            if (!"ok".equals(j[0]) && !"pending".equals(j[0])) {
                out.add(String.format(Locale.ROOT, "  %-8s %s: %s", j[0].toUpperCase(Locale.ROOT), j[1], j[2]));
            }
        }
        return out;
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
