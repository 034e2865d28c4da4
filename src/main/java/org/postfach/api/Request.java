package org.postfach.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/** One API request: path parameters, query parameters and the body, read lazily as JSON. */
final class Request {
    private final Map<String, String> params;
    private final Map<String, String> query;
    private final byte[] body;
    private final ObjectMapper json;

    Request(Map<String, String> params, Map<String, String> query, byte[] body, ObjectMapper json) {
        this.params = params;
        this.query = query;
        this.body = body;
        this.json = json;
    }

    String param(String name) {
        return params.get(name);
    }

    String query(String name) {
        return query.get(name);
    }

    Body body() {
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON object is required as the request body");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return new Body(node);
    }
}
