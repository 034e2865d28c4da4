package org.postfach.smtp;

import java.io.IOException;
import java.io.InputStream;
import org.postfach.mail.ByteScan;
import org.postfach.mail.MemoryBudget;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's DATA. The whole message is read up to {@code <CR><LF>.<CR><LF>} before any answer, so
 * that the rest of a refused body can never be read as commands (SPEC §7); every reply ends the transaction,
 * so a refused message is followed by a normal next one. Only CRLF line endings are accepted: a bare CR or LF
 * or a NUL byte is refused once the data has been read, never re-interpreted. No Received header is added
 * (it would name the client's HELO and IP). The message is spooled to disk while it arrives ({@link Spool}).
 */
final class DataCommand implements Verb {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);
    /**
     * Bytes of heap per byte of message that intake takes at its peak, measured with JFR allocation samples of a
     * 10 MB message (bench/RESULTS.md): the raw and rewritten forms, the redactor's decoded text, and H2 copying
     * both stored forms into its pages and its commit buffer.
     */
    static final int COPIES = 24;
    private final long maxSize;
    private final java.nio.file.Path spoolDirectory;

    DataCommand(long maxSize, java.nio.file.Path spoolDirectory) {
        this.maxSize = maxSize;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public void run(String line, Dialogue d) throws IOException {
        Session sess = d.session();
        if (!Verb.argument(line).isEmpty()) {
            d.reply(Replies.NO_PARAMETERS);
            return;
        }
        if (!sess.isMailTransactionInProgress()) {
            d.reply(Replies.MAIL_FIRST);
            return;
        }
        if (sess.getRecipientCount() == 0) {
            d.reply(Replies.RCPT_FIRST);
            return;
        }
        d.reply(Replies.START_DATA);
        InputStream in = new DataStream(sess.getRawInput());
        SmtpReply reply;
        try (Spool spool = new Spool(spoolDirectory)) {
            long total = 0;
            LineEndings endings = new LineEndings();
            IOException spoolFailure = null;
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) != -1) {
                endings.check(chunk, n);
                if (total + n <= maxSize && spoolFailure == null) {
                    try {
                        spool.write(chunk, 0, n);
                    } catch (IOException e) {
                        spoolFailure = e; // read on to the end of DATA: the rest must never be taken as commands
                    }
                }
                total += n;
            }
            if (total > maxSize) {
                reply = Replies.MESSAGE_TOO_BIG.withText(String.format(Replies.MESSAGE_TOO_BIG.text(), maxSize));
            } else if (endings.bad()) {
                reply = Replies.BAD_DATA_LINE_ENDINGS;
            } else if (spoolFailure != null) {
                LOG.error("message could not be spooled; answered 452", spoolFailure);
                reply = Replies.NO_SPOOL_SPACE;
            } else {
                reply = accept((SmtpTransaction) sess.getMessageHandler(), spool);
            }
        }
        sess.resetMailTransaction();
        d.reply(reply);
    }

    /** Watches DATA for anything but CRLF line endings: a NUL byte, a CR without LF, a LF without CR. */
    static final class LineEndings {
        private boolean bad;
        private boolean afterCr;

        void check(byte[] chunk, int n) {
            int i = 0;
            while (i < n && !bad) {
                if (afterCr) {
                    bad = chunk[i] != '\n';
                    afterCr = false;
                    i++;
                    continue;
                }
                i = ByteScan.lineBreakOrNul(chunk, i, n); // eight bytes at a time (ByteScan)
                if (i < n) {
                    // a LF found here follows no CR: the scan stops at a CR, and the next byte is looked at above
                    bad = chunk[i] != '\r';
                    afterCr = !bad;
                    i++;
                }
            }
        }

        /** Whether the data seen so far has a bad line ending, or ends in a CR without its LF. */
        boolean bad() {
            return bad || afterCr;
        }
    }

    /**
     * The message is read back from the spool into the heap only with a lease of the memory budget: intake parses
     * it, rewrites it and stores two forms of it, about {@link #COPIES} times its size at the peak.
     */
    private static SmtpReply accept(SmtpTransaction tx, Spool spool) {
        try (MemoryBudget.Lease lease = MemoryBudget.heap().take(spool.size() * COPIES)) {
            return accept(tx, spool.bytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Replies.TEMPORARY_FAILURE; // shutting down: nothing was stored
        } catch (IOException e) {
            LOG.error("message could not be read back from the spool; answered 451", e);
            return Replies.TEMPORARY_FAILURE;
        }
    }

    /** The SMTP catch-all (ARCHITECTURE): anything unexpected is 451 with nothing stored. */
    private static SmtpReply accept(SmtpTransaction tx, byte[] raw) {
        try {
            return tx.message(raw);
        } catch (RuntimeException e) {
            LOG.error("message could not be stored; answered 451", e);
            return Replies.TEMPORARY_FAILURE;
        }
    }
}
