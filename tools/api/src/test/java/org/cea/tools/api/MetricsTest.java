package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void rendersCumulativeHistogramBucketsInPrometheusTextFormat() {
        Metrics m = new Metrics();
        m.observe("/api/sensors", 200, 300_000);        // 0.3 ms -> le 0.0005
        m.observe("/api/sensors", 200, 3_000_000);      // 3 ms   -> le 0.005
        m.observe("/api/sensors", 503, 20_000_000_000L); // 20 s  -> only +Inf
        m.redisError();
        m.wsClientGauge(() -> 2);
        List<String> lines = m.render().lines().toList();
        assertTrue(lines.contains("cea_api_requests_total{route=\"/api/sensors\",status=\"200\"} 2"), lines.toString());
        assertTrue(lines.contains("cea_api_requests_total{route=\"/api/sensors\",status=\"503\"} 1"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"0.0005\"} 1"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"0.0025\"} 1"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"0.005\"} 2"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"5\"} 2"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"+Inf\"} 3"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_sum{route=\"/api/sensors\"} 20.0033"));
        assertTrue(lines.contains("cea_api_request_duration_seconds_count{route=\"/api/sensors\"} 3"));
        assertTrue(lines.contains("cea_api_redis_errors_total 1"));
        assertTrue(lines.contains("cea_api_db_errors_total 0"));
        assertTrue(lines.contains("cea_api_ws_clients 2"));
        assertEquals(3, m.requests("/api/sensors"));
        for (String l : lines) {
            assertTrue(l.startsWith("#") || l.matches("[a-z_]+(\\{[^}]*\\})? [0-9.E+-]+"), "not exposition format: " + l);
        }
    }
}
