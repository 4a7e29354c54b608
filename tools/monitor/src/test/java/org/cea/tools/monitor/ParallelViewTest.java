package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.List;
import org.cea.redisio.ConsistencyStatus.Outcome;
import org.cea.redisio.ConsistencyStatus.Result;
import org.junit.jupiter.api.Test;

class ParallelViewTest {
    /** 2026-01-01T00:00:00Z (see RedisViewTest). */
    private static final long NOW = 1_767_225_600_000L;
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long HOUR = 3_600_000L;

    private static Result result(Outcome o, long checkedAt, long differ, String difference, Long differenceAt) {
        // 24 h range, 1439 closed minutes: legacy 1,295,100 rows = 900.0 per minute on average,
        // database 1,295,099 = 899.999 -> "900.0"; newest minute 23:58 (23:59 was still open)
        return new Result(o, checkedAt, NOW - 24 * HOUR, NOW, 1439, differ, 1, 1_295_100, o == Outcome.EQUAL ? 1_295_100
                : 1_295_099, NOW - 120_000, 900, o == Outcome.EQUAL ? 900 : 899, difference, differenceAt, "",
                "jdbc:sqlite:/var/lib/cea/can_messages.db", "postgresql://cea_reader:***@127.0.0.1:5432/cea_sensors", 6_200);
    }

    @Test
    void rendersAnEqualComparisonWithItsAgeRangeAndRowsPerMinuteOnEachPath() {
        List<String> lines = ParallelView.render(ParallelState.of(result(Outcome.EQUAL, NOW - 3_000, 0, "", null)),
                NOW, UTC);
        assertEquals(List.of(
                "parallel run: EQUAL · last comparison 2025-12-31 23:59:57 UTC (3.0 s ago) over 24 h:"
                        + " 1439 minutes compared, 0 differ, 1 open",
                "  rows per minute: legacy 900.0 · database 900.0 on average; newest minute 12-31 23:58:"
                        + " legacy 900 · database 900",
                "  newest difference: none"), lines);
    }

    @Test
    void rendersTheNewestDifferenceAndFlagsAComparisonOlderThan26Hours() {
        String diff = "2025-12-30 21:58 0x101: legacy 60 rows, database 59 (1 only in legacy)";
        List<String> lines = ParallelView.render(ParallelState.of(result(Outcome.DIFFER, NOW - 27 * HOUR, 2, diff,
                NOW - 26 * HOUR - 120_000)), NOW, UTC);
        assertEquals(List.of(
                "parallel run: DIFFER · last comparison 2025-12-30 21:00:00 UTC (27 h ago) over 24 h:"
                        + " 1439 minutes compared, 2 differ, 1 open — STALE (none for more than 26 h:"
                        + " is cea-consistency.timer enabled?)",
                "  rows per minute: legacy 900.0 · database 900.0 on average; newest minute 12-31 23:58:"
                        + " legacy 900 · database 899",
                "  newest difference: " + diff), lines);
    }

    @Test
    void rendersAFailedComparisonNoneRecordedAndAnUnreadableHash() {
        Result failed = new Result(Outcome.ERROR, NOW - 60_000, NOW - 24 * HOUR, NOW, 0, 0, 0, 0, 0, null, 0, 0, "",
                null, "database postgresql://cea_reader:***@127.0.0.1:5432/cea_sensors unavailable: Connection refused",
                "a", "b", 10);
        assertEquals(List.of("parallel run: ERROR · last comparison 2025-12-31 23:59:00 UTC (60 s ago)",
                "  the comparison could not run: database postgresql://cea_reader:***@127.0.0.1:5432/cea_sensors"
                        + " unavailable: Connection refused"), ParallelView.render(ParallelState.of(failed), NOW, UTC));
        assertEquals(List.of("parallel run: no comparison recorded yet (run bin/can-consistency, or enable"
                + " cea-consistency.timer)"), ParallelView.render(ParallelState.none(), NOW, UTC));
        assertEquals(List.of("parallel run: unknown — consistency:status at redis://h:1/0 unreadable: refused"),
                ParallelView.render(ParallelState.problem("consistency:status at redis://h:1/0 unreadable: refused"),
                        NOW, UTC));
        Result empty = new Result(Outcome.EQUAL, NOW, NOW, NOW, 0, 0, 1, 0, 0, null, 0, 0, "", null, "", "a", "b", 1);
        assertEquals("  rows per minute: no closed minute compared",
                ParallelView.render(ParallelState.of(empty), NOW, UTC).get(1));
    }

    @Test
    void theSectionGoesAfterTheStatusBlockOrAtTheEndOfADownScreen() {
        List<String> section = List.of("parallel run: x", "  y");
        assertEquals(List.of("head", "status", "", "parallel run: x", "  y", "", "rest", "", "more"),
                ParallelView.insert(List.of("head", "status", "", "rest", "", "more"), section));
        assertEquals(List.of("head", "database: DOWN — refused", "", "parallel run: x", "  y"),
                ParallelView.insert(List.of("head", "database: DOWN — refused"), section));
    }
}
