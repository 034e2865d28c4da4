package org.postfach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.postfach.api.ApiRoutes;
import org.postfach.api.HealthResource;
import org.postfach.api.HttpApi;
import org.postfach.archive.Archive;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.config.Settings;
import org.postfach.delivery.DeliveryWorkers;
import org.postfach.delivery.FileTransport;
import org.postfach.delivery.SmarthostTransport;
import org.postfach.delivery.Transport;
import org.postfach.dkim.DkimSigner;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.intake.DeliveryFailures;
import org.postfach.intake.Intake;
import org.postfach.ops.Metrics;
import org.postfach.directory.ConsoleAccess;
import org.postfach.links.Links;
import org.postfach.ops.Secrets;
import org.postfach.web.ActionPage;
import org.postfach.web.ConsolePages;
import org.postfach.web.OptOutPage;
import org.postfach.policy.DailyLimit;
import org.postfach.policy.Policy;
import org.postfach.proof.Dns;
import org.postfach.proof.DnsjavaDns;
import org.postfach.proof.SenderProof;
import org.postfach.queue.RetrySchedule;
import org.postfach.resolve.Resolver;
import org.postfach.rewrite.ContactRedactor;
import org.postfach.rewrite.Rewriter;
import org.postfach.smtp.SmtpListener;
import org.postfach.store.Database;
import org.postfach.store.JdbcArchiveStore;
import org.postfach.store.JdbcConsoleStore;
import org.postfach.store.JdbcDirectoryStore;
import org.postfach.store.JdbcMessageStore;
import org.postfach.store.JdbcOutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires every object by hand (no DI container), starts them in order and stops them in reverse. */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

    private final Settings settings;
    private final Database database;
    private final Directory directory;
    private final DeliveryWorkers workers;
    private final SmtpListener inbound;
    private final SmtpListener submission;
    private final HttpApi api;
    private final Archive archive;
    private final ConsoleAccess console;
    private final Metrics metrics = new Metrics();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });
    private final String apiToken;
    private final boolean tokenGenerated;

    private Relay(Settings settings, Clock clock, Dns dns) throws IOException {
        this.settings = settings;
        Secrets.Secret token = settings.api().token() != null
                ? new Secrets.Secret(settings.api().token(), false)
                : Secrets.loadOrCreate(settings.dataDir(), "api-token", 24);
        this.apiToken = token.value();
        this.tokenGenerated = token.created();
        byte[] verpKey = Secrets.loadOrCreate(settings.dataDir(), "verp-key", 32).value()
                .getBytes(StandardCharsets.US_ASCII);
        UnaryOperator<byte[]> signer = DkimSigner.of(settings.dkim(), settings.domain()); // a bad key stops start-up

        this.database = Database.open(settings.storageUrl(), settings.delivery().workers() + 16);
        database.migrate();
        AliasGenerator aliases = new AliasGenerator(settings.domain(), settings.aliasLength());
        this.directory = new Directory(new JdbcDirectoryStore(database.jdbc()), aliases, settings.domain(), clock);
        VerpAddresses verp = new VerpAddresses(verpKey, settings.domain());
        Resolver resolver = new Resolver(directory, settings.domain(), settings.policy().carrierDomains(), verp);

        Supplier<Transport> transports = settings.delivery().mode() == Settings.DeliveryMode.FILE
                ? () -> new FileTransport(settings.delivery().outbox(), clock)
                : () -> new SmarthostTransport(settings.delivery(), settings.domain(),
                        settings.delivery().smarthostTimeout());
        JdbcMessageStore messages = new JdbcMessageStore(database.jdbc());
        this.workers = new DeliveryWorkers(new JdbcOutboundQueue(database.jdbc()), transports,
                new RetrySchedule(settings.delivery().maxAge()), clock, settings.delivery().workers(),
                Duration.ofSeconds(1), "node-" + Secrets.loadOrCreate(settings.dataDir(), "node-id", 6).value(),
                new DeliveryFailures(messages, directory, new Notices(settings.domain()), verp, aliases,
                        settings.domain(), signer));
        Settings.Policy rules = settings.policy();
        // SPEC §4: the buyer's opt-out of all sellers; the opt-out of one seller (SPEC §10) comes with the route
        DailyLimit limit = new DailyLimit(messages, rules.dailyLimitPerOrder(), rules.dailyLimitBase(), clock);
        Policy policy = Policy.standard(rules, (buyer, seller) -> buyer.optedOut(), messages, directory::orders, limit);
        Links links = new Links(Secrets.loadOrCreate(settings.dataDir(), "link-key", 32).value()
                .getBytes(StandardCharsets.US_ASCII), settings.web().publicUrl(),
                Duration.ofDays(settings.web().linkDays()));
        Intake intake = new Intake(resolver, policy, directory, new Rewriter(settings.domain()),
                new ContactRedactor(settings.domain(), rules.phoneRegion(), links.actionPrefix()), messages,
                verp, aliases, new Notices(settings.domain()), rules.importantTags(), settings.domain(),
                settings.delivery().maxAge(), clock, workers,
                settings.smtp().inboundVerifySenders() ? Optional.of(new SenderProof(dns)) : Optional.empty(), signer,
                links);
        this.inbound = new SmtpListener(settings, intake, settings.smtp().inboundPort());
        this.submission = SmtpListener.submission(settings, intake, directory::login, clock);
        this.archive = new Archive(new JdbcArchiveStore(database.jdbc()), clock,
                seller -> messages.sentOn(seller, limit.today()), limit::limit, settings.retentionDays());
        this.console = new ConsoleAccess(new JdbcConsoleStore(database.jdbc()), directory, aliases, clock,
                settings.web().publicUrl());
        this.api = new HttpApi(settings.api().host(), settings.api().port(), apiToken,
                new ApiRoutes(directory, archive, new HealthResource(this::databaseUp), metrics::scrape, console),
                settings.api().requestTimeout());
        api.mount(Links.OPT_OUT_PATH, new OptOutPage(links, directory, clock));
        // SPEC §4: the seller's pages show a subject as delivered (the archive keeps the original), by the same rule
        ContactRedactor subjects = new ContactRedactor(settings.domain(), rules.phoneRegion());
        UnaryOperator<String> asDelivered = subject -> subjects.redactText(subject, "subject",
                new java.util.ArrayList<>());
        api.mount(Links.ACTION_PATH, new ActionPage(links, archive, asDelivered, clock));
        api.mount(ConsolePages.PATH, new ConsolePages(console, directory, archive, intake, asDelivered, clock,
                settings.web().publicUrl(), settings.smtp().maxMessageSize()));
        intake.countWith(metrics);
        workers.countWith(metrics);
        database.meter(metrics.registry());
        JdbcOutboundQueue depth = new JdbcOutboundQueue(database.jdbc());
        for (String state : new String[] {"QUEUED", "SENDING", "DEFERRED"}) {
            metrics.gauge("postfach.queue.depth", "state", state, depth, q -> q.depth(state));
        }
    }

    /** Opens the database, migrates it and starts workers, the SMTP listener and the API, in that order. */
    public static Relay start(Settings settings, Clock clock) throws IOException {
        return start(settings, clock, new DnsjavaDns(settings.dnsServers(), DNS_TIMEOUT));
    }

    /** As {@link #start(Settings, Clock)} with the DNS the sender proof (SPEC §7) asks. */
    public static Relay start(Settings settings, Clock clock, Dns dns) throws IOException {
        Relay relay = new Relay(settings, clock, dns);
        try {
            relay.workers.start();
            relay.inbound.start();
            relay.submission.start();
            relay.api.start();
            relay.housekeeping.scheduleWithFixedDelay(relay::purge, 1, 60, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
        LOG.info("Postfach for {}: SMTP inbound on {}:{}, API on {}:{}, delivery {}, submission on {}:{}",
                settings.domain(), settings.smtp().inboundHost(), relay.smtpPort(), settings.api().host(),
                relay.apiPort(), settings.delivery().mode().name().toLowerCase(), settings.smtp().inboundHost(),
                relay.submissionPort());
        return relay;
    }

    /** SPEC §8 retention: hourly, messages older than retention.days go, except those under legal hold. */
    private void purge() {
        try {
            int purged = archive.purge();
            if (purged > 0) {
                LOG.info("retention: purged {} messages older than {} days", purged, settings.retentionDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("retention: purge failed ({}); trying again in an hour", e.getMessage());
        }
    }

    private boolean databaseUp() {
        try (var c = database.dataSource().getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    public int smtpPort() {
        return inbound.port();
    }

    public int submissionPort() {
        return submission.port();
    }

    public int apiPort() {
        return api.port();
    }

    public String apiToken() {
        return apiToken;
    }

    public boolean tokenGenerated() {
        return tokenGenerated;
    }

    public Archive archive() {
        return archive;
    }

    public Directory directory() {
        return directory;
    }

    /** The seller console's sign-in (SPEC §10), for {@code serve --demo}'s link. */
    public ConsoleAccess console() {
        return console;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        api.close();
        inbound.close();
        submission.close();
        workers.close();
        database.close();
    }
}
