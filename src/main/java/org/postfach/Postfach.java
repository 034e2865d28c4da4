package org.postfach;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.postfach.config.ConfigException;
import org.postfach.config.Settings;
import org.postfach.config.SettingsLoader;
import org.postfach.dkim.DkimKeys;
import org.postfach.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code postfach serve|config check|migrate|queue|archive verify|dkim keygen} (SPEC §9). Bad options and bad
 * configuration end with one line
 * per problem and exit code 2, never a stack trace (the catch-all of main).
 */
@Command(name = "postfach", mixinStandardHelpOptions = true, version = "Postfach 0.1.0",
        description = "Anonymizing mail relay for online marketplaces.",
        subcommands = {Postfach.Serve.class, Postfach.ConfigCommand.class, Postfach.Migrate.class,
                ArchiveCommand.class, Postfach.DkimCommand.class, QueueCommand.class})
public final class Postfach implements Callable<Integer> {
    static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (what {@link #main} exits with). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Postfach());
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println("postfach: " + e.getMessage());
            return CONFIG_ERROR;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof ConfigException ce) {
                ce.problems().forEach(line -> System.err.println("postfach: " + line));
                return CONFIG_ERROR;
            }
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            System.err.println("postfach: " + e.getClass().getSimpleName() + ": " + message);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Options shared by every command that reads the configuration. */
    static final class ConfigOption {
        @Option(names = "--config", paramLabel = "FILE", description = "properties file (default: none)")
        Path file;

        Settings load() throws ConfigException {
            return load(Map.of());
        }

        /** With some defaults replaced; what the file or the environment sets still wins. */
        Settings load(Map<String, String> defaults) throws ConfigException {
            if (file != null && !Files.isRegularFile(file)) {
                throw new ConfigException(List.of("--config " + file + ": no such file"));
            }
            return SettingsLoader.load(file, System.getenv(), defaults);
        }

        java.util.Map<String, String> effective() throws ConfigException {
            return SettingsLoader.effective(file, System.getenv());
        }
    }

    @Command(name = "serve", description = "Run the relay until stopped.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--demo", description = "add a sample seller, buyer and order and print how to send a test mail")
        boolean demo;

        @Override
        public Integer call() throws Exception {
            Settings settings = demo ? Demo.settings(config) : config.load();
            Relay relay = Relay.start(settings, Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                relay.close();
                stopped.countDown();
            }, "shutdown"));
            if (relay.tokenGenerated()) {
                System.out.println("API token (generated now, kept in " + settings.dataDir().resolve("api-token")
                        + "): " + relay.apiToken());
            }
            if (demo) {
                Demo.run(relay, System.out);
            }
            stopped.await();
            return 0;
        }
    }

    @Command(name = "config", description = "Configuration tools.", subcommands = ConfigCommand.Check.class)
    static final class ConfigCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return CONFIG_ERROR;
        }

        @Command(name = "check", description = "Validate the configuration and print the effective values.")
        static final class Check implements Callable<Integer> {
            @CommandLine.Mixin
            ConfigOption config;

            @Override
            public Integer call() throws Exception {
                Settings s = config.load();
                System.out.println("configuration ok");
                config.effective().forEach((k, v) -> System.out.println(k + "=" + v));
                if (s.api().token() == null) {
                    System.out.println("# api.token is generated at first start and kept in " + s.dataDir());
                }
                return 0;
            }
        }
    }

    @Command(name = "migrate", description = "Apply the database migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Settings s = config.load();
            try (Database db = Database.open(s.storageUrl(), 2)) {
                System.out.println("migrations applied: " + db.migrate());
            }
            return 0;
        }
    }

    @Command(name = "dkim", description = "DKIM tools.", subcommands = DkimCommand.Keygen.class)
    static final class DkimCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return CONFIG_ERROR;
        }

        @Command(name = "keygen", description = "Make an RSA 2048 signing key; print its DNS record and the settings.")
        static final class Keygen implements Callable<Integer> {
            @CommandLine.Mixin
            ConfigOption config;

            @Option(names = "--selector", required = true, paramLabel = "S", description = "the DKIM selector")
            String selector;

            @Option(names = "--out", paramLabel = "FILE",
                    description = "where the PEM private key goes (default: <data.dir>/dkim-<selector>.pem)")
            Path out;

            @Override
            public Integer call() throws Exception {
                if (!selector.matches(DkimKeys.SELECTOR)) {
                    System.err.println("postfach: --selector " + selector + ": not a DNS label (letters, digits, -)");
                    return CONFIG_ERROR;
                }
                Settings s = config.load();
                Path file = (out != null ? out : s.dataDir().resolve("dkim-" + selector + ".pem")).toAbsolutePath();
                KeyPair keys = DkimKeys.generate();
                try {
                    DkimKeys.writePrivateKey(keys, file);
                } catch (FileAlreadyExistsException e) {
                    System.err.println("postfach: " + file + " exists; not overwritten (choose --out or another "
                            + "selector)");
                    return CONFIG_ERROR;
                }
                System.out.println("private key written to " + file + " (RSA 2048, PEM PKCS#8; keep it secret)");
                System.out.println("publish this DNS record:");
                System.out.println(DkimKeys.txtRecord(selector, s.domain(), keys.getPublic()));
                System.out.println("then set these two configuration lines and restart:");
                System.out.println("dkim.selector=" + selector);
                System.out.println("dkim.privateKey=" + file);
                return 0;
            }
        }
    }
}
