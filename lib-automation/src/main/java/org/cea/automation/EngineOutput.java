package org.cea.automation;

import java.util.ArrayList;
import java.util.List;
import org.cea.redisio.AlertEvents;

/** What one call of the {@link AlertEngine} produced so far: alert transitions and command intents, in order. */
final class EngineOutput {
    final List<AlertEvents.Event> events = new ArrayList<>();
    final List<CommandIntent> intents = new ArrayList<>();

    AlertEngine.Result result() {
        return new AlertEngine.Result(events, intents);
    }
}
