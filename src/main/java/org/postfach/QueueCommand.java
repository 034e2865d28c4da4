package org.postfach;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postfach.config.Settings;
import org.postfach.store.Database;
import org.postfach.store.QueueAdmin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code postfach queue list|show|retry|delete} (SPEC §9): the operator's look at the outbound queue. One line per
 * entry; the recipient is shown (the operator needs it), the sender's real address never is (the envelope sender
 * is the bounce address). Exit code 0, 1 when the entry is not found or cannot be changed, 2 for usage errors.
 */
@Command(name = "queue", description = "Inspect and steer the outbound queue.",
        subcommands = {QueueCommand.ListEntries.class, QueueCommand.Show.class, QueueCommand.Retry.class,
                QueueCommand.Delete.class})
final class QueueCommand implements Callable<Integer> {
    static final int NOT_FOUND = 1;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return Postfach.CONFIG_ERROR;
    }

    static String line(QueueAdmin.Entry e) {
        return e.id() + " " + e.state() + " attempts=" + e.attempts() + " next=" + e.nextAttemptAt() + " to="
                + e.recipient() + " message=" + e.messageId() + " route=" + e.route();
    }

    /** Opens the database as {@code migrate} does, runs {@code work} on the queue. */
    abstract static class QueueTool implements Callable<Integer> {
        @CommandLine.Mixin
        Postfach.ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Settings s = config.load();
            try (Database db = Database.open(s.storageUrl(), 2)) {
                return run(new QueueAdmin(db.jdbc()), System.out);
            }
        }

        abstract int run(QueueAdmin queue, PrintStream out);
    }

    @Command(name = "list", description = "One line per queue entry: id, state, attempts, next attempt, recipient.")
    static final class ListEntries extends QueueTool {
        @Option(names = "--state", paramLabel = "S", description = "only entries in this state: ${COMPLETION-CANDIDATES}")
        String state;

        @Override
        int run(QueueAdmin queue, PrintStream out) {
            queue.list(state).forEach(e -> out.println(line(e)));
            return 0;
        }

        @Override
        public Integer call() throws Exception {
            if (state != null) {
                state = state.toUpperCase(Locale.ROOT);
                if (!QueueAdmin.STATES.contains(state)) {
                    System.err.println("postfach: --state: must be one of " + String.join(", ", QueueAdmin.STATES));
                    return Postfach.CONFIG_ERROR;
                }
            }
            return super.call();
        }
    }

    @Command(name = "show", description = "Everything about one queue entry, the last remote diagnostic included.")
    static final class Show extends QueueTool {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        int run(QueueAdmin queue, PrintStream out) {
            Optional<QueueAdmin.Entry> found = queue.show(id);
            if (found.isEmpty()) {
                System.err.println("postfach: no queue entry " + id);
                return NOT_FOUND;
            }
            QueueAdmin.Entry e = found.get();
            out.println(line(e));
            out.println("  archive status=" + e.status() + " created=" + e.createdAt() + " updated=" + e.updatedAt());
            out.println("  last error: " + (e.lastError() == null ? "-" : e.lastError().replaceAll("\\s+", " ")));
            return 0;
        }
    }

    @Command(name = "retry", description = "Make an entry due now (QUEUED); a failed entry gets another chance.")
    static final class Retry extends QueueTool {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        int run(QueueAdmin queue, PrintStream out) {
            return report(queue.retry(id, Instant.now()), id, "queued for delivery now", out);
        }
    }

    @Command(name = "delete", description = "Remove an entry that was not delivered; the archive keeps it as FAILED.")
    static final class Delete extends QueueTool {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        int run(QueueAdmin queue, PrintStream out) {
            return report(queue.delete(id, Instant.now()), id, "deleted", out);
        }
    }

    static int report(QueueAdmin.Outcome outcome, long id, String done, PrintStream out) {
        switch (outcome) {
            case DONE -> {
                out.println(id + " " + done);
                return 0;
            }
            case NOT_FOUND -> System.err.println("postfach: no queue entry " + id);
            case BUSY -> System.err.println("postfach: queue entry " + id + " is being delivered right now; try again");
            default -> System.err.println("postfach: queue entry " + id + " was delivered already");
        }
        return NOT_FOUND;
    }
}
