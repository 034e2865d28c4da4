package org.postfach.api;

/** A response: status, JSON body (or raw bytes with a content type). */
record Reply(int status, Object json, byte[] raw, String contentType) {
    static Reply ok(Object json) {
        return new Reply(200, json, null, null);
    }

    static Reply created(Object json) {
        return new Reply(201, json, null, null);
    }

    static Reply noContent() {
        return new Reply(204, null, null, null);
    }

    static Reply raw(byte[] bytes, String contentType) {
        return new Reply(200, null, bytes, contentType);
    }
}
