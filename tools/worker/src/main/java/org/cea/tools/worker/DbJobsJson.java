package org.cea.tools.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import org.cea.redisio.WorkerStatus;
import org.cea.tsdb.JobHealth;

/** Renders a {@link JobHealth.Report} as the {@link WorkerStatus#DB_JOBS} field. */
final class DbJobsJson {
    private DbJobsJson() {
    }

    static String render(JobHealth.Report r) {
        JsonObject o = new JsonObject();
        o.addProperty("state", r.state().label());
        o.addProperty("reason", r.reason());
        o.addProperty("checked_at", r.checkedAt().toEpochMilli());
        JsonArray jobs = new JsonArray();
        for (JobHealth.Verdict v : r.jobs()) {
            JobHealth.Job j = v.job();
            JsonObject jo = new JsonObject();
            jo.addProperty("id", j.id());
            jo.addProperty("name", j.name());
            jo.addProperty("status", v.status().label());
            jo.addProperty("why", v.why());
            jo.addProperty("schedule_s", j.schedule().toSeconds());
            jo.addProperty("consecutive_failures", j.consecutiveFailures());
            jo.addProperty("last_status", j.lastStatus());
            jo.addProperty("last_run", millis(j.lastRun()));
            jo.addProperty("last_success", millis(j.lastSuccess()));
            jo.addProperty("next_start", millis(j.nextStart()));
            jo.addProperty("last_error", j.lastError());
            jobs.add(jo);
        }
        o.add("jobs", jobs);
        // Gson drops null members unless told otherwise: every field is present, null where unset
        return new com.google.gson.GsonBuilder().serializeNulls().create().toJson(o);
    }

    /** The report when the jobs could not be read (the database is down). */
    static String unknown(String why, long nowMillis) {
        JsonObject o = new JsonObject();
        o.addProperty("state", "unknown");
        o.addProperty("reason", why);
        o.addProperty("checked_at", nowMillis);
        o.add("jobs", new JsonArray());
        return o.toString();
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
