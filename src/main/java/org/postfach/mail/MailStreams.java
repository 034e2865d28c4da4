package org.postfach.mail;

/**
 * Names Angus Mail's stream provider to Jakarta Mail outright. Without the name, Jakarta Mail 2.1 searches the
 * class path with a ServiceLoader each time it reads a header block or decodes a part (InternetHeaders.load,
 * MimeUtility.decode): that search was 5 to 8 % of the relay's CPU time (bench/RESULTS.md).
 */
public final class MailStreams {
    private static final String PROPERTY = "jakarta.mail.util.StreamProvider";

    private MailStreams() {
    }

    /** Idempotent; an operator's own choice of provider (the same system property) is left alone. */
    public static void install() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }
}
