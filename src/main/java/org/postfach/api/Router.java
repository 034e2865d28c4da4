package org.postfach.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Method and path template ({@code /api/sellers/{id}}) to a handler. */
final class Router {
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private record Route(String method, String[] segments, Handler handler, boolean open) {
    }

    record Match(Handler handler, Map<String, String> params, boolean open) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), handler, false));
        return this;
    }

    /** A route that needs no token (health and metrics). */
    Router open(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), handler, true));
        return this;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /** The match; an ApiException 404 or 405 when there is none. */
    Match match(String method, String path) {
        String[] parts = split(path);
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> params = matches(r.segments(), parts);
            if (params != null) {
                pathKnown = true;
                if (r.method().equals(method)) {
                    return new Match(r.handler(), params, r.open());
                }
            }
        }
        throw pathKnown ? new ApiException(405, "method " + method + " not allowed here")
                : ApiException.notFound("no such resource");
    }

    private static Map<String, String> matches(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }
}
