package org.postfach.mail;

/**
 * One attachment of a message: where it sits in the MIME tree ({@code "2"}, {@code "3/rfc822/1"}), its decoded
 * file name ({@code ""} when it has none), the type it declares and the type its content really has.
 */
public record Attachment(String path, String fileName, String declaredType, String detectedType, long size) {
}
