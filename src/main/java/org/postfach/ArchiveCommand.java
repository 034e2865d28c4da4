package org.postfach;

import java.util.concurrent.Callable;
import org.postfach.archive.ChainVerifier;
import org.postfach.config.Settings;
import org.postfach.store.Database;
import org.postfach.store.JdbcArchiveStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code postfach archive verify} (SPEC §8, §9): checks the archive's hash chain and names the first broken entry. */
@Command(name = "archive", description = "Archive tools.", subcommands = ArchiveCommand.Verify.class)
final class ArchiveCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(name = "verify", description = "Verify the archive's hash chain; exit code 1 names the first broken entry.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        Postfach.ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Settings s = config.load();
            try (Database db = Database.open(s.storageUrl(), 2)) {
                db.migrate();
                ChainVerifier.Result r = new ChainVerifier(new JdbcArchiveStore(db.jdbc())).verify();
                if (r.ok()) {
                    System.out.println("archive ok: " + r.checked() + " entries verified"
                            + (r.unchained() > 0 ? ", " + r.unchained() + " from before the chain existed" : ""));
                    return 0;
                }
                System.out.println("archive broken: " + r.problem());
                return 1;
            }
        }
    }
}
