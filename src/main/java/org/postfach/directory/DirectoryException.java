package org.postfach.directory;

/** A directory request that cannot be carried out; the kind maps to an HTTP status in the api adapter. */
public final class DirectoryException extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public DirectoryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static DirectoryException notFound(String what) {
        return new DirectoryException(Kind.NOT_FOUND, what + " not found");
    }

    public static DirectoryException conflict(String message) {
        return new DirectoryException(Kind.CONFLICT, message);
    }

    public static DirectoryException invalid(String message) {
        return new DirectoryException(Kind.INVALID, message);
    }
}
