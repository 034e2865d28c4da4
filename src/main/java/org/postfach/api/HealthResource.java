package org.postfach.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: liveness, with the database reachable; no token needed. */
public final class HealthResource {
    private final BooleanSupplier database;

    public HealthResource(BooleanSupplier database) {
        this.database = database;
    }

    Reply get(Request r) {
        boolean db = database.getAsBoolean();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", db ? "UP" : "DOWN");
        m.put("database", db ? "UP" : "DOWN");
        return new Reply(db ? 200 : 503, m, null, null);
    }
}
