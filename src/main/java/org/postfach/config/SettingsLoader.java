package org.postfach.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the properties file, then the {@code POSTFACH_*} environment overrides, then validates every key
 * (SPEC §9). Every problem is collected so that one run shows them all; nothing is clamped silently.
 */
public final class SettingsLoader {
    private final Map<String, String> values = new LinkedHashMap<>();
    /** The keys the file or the environment set. */
    private final java.util.Set<String> chosen = new java.util.HashSet<>();
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader() {
    }

    /** The environment variable that overrides a key: {@code smtp.inbound.port -> POSTFACH_SMTP_INBOUND_PORT}. */
    public static String envName(String key) {
        return "POSTFACH_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public static List<String> keys() {
        return List.copyOf(ConfigKeys.DEFAULTS.keySet());
    }

    /** Loads {@code file} (optional) with overrides from {@code env}. */
    public static Settings load(Path file, Map<String, String> env) throws ConfigException {
        return load(file, env, Map.of());
    }

    /** As {@link #load(Path, Map)} with some defaults replaced ({@code serve --demo}); the file and env still win. */
    public static Settings load(Path file, Map<String, String> env, Map<String, String> defaults)
            throws ConfigException {
        SettingsLoader loader = new SettingsLoader();
        loader.read(file, env);
        defaults.forEach((key, value) -> {
            if (!loader.chosen.contains(key)) {
                loader.values.put(key, value);
            }
        });
        return loader.build();
    }

    /**
     * Every key with its effective value (file, then environment, then default), secrets masked: passwords,
     * the API token and a password inside {@code storage.url}. For {@code postfach config check}.
     */
    public static Map<String, String> effective(Path file, Map<String, String> env) throws ConfigException {
        SettingsLoader loader = new SettingsLoader();
        loader.read(file, env);
        loader.build(); // throws with every problem when the configuration is not valid
        Map<String, String> out = new java.util.TreeMap<>();
        loader.values.forEach((k, v) -> out.put(k, mask(k, v)));
        return out;
    }

    private static String mask(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value == null ? "" : value;
        }
        if (key.endsWith("password") || key.endsWith("token")) {
            return "****";
        }
        return key.equals("storage.url") ? value.replaceAll("(?i)password=[^&;]*", "password=****") : value;
    }

    private void read(Path file, Map<String, String> env) {
        ConfigKeys.DEFAULTS.forEach(values::put);
        if (file != null) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                problems.add("config file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            for (String key : props.stringPropertyNames()) {
                if (!ConfigKeys.DEFAULTS.containsKey(key)) {
                    problems.add(key + ": unknown configuration key");
                } else {
                    String v = props.getProperty(key).trim();
                    values.put(key, v.isEmpty() ? ConfigKeys.DEFAULTS.get(key) : v);
                    chosen.add(key);
                }
            }
        }
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            String v = env.get(envName(key));
            if (v != null) {
                values.put(key, v.trim().isEmpty() ? ConfigKeys.DEFAULTS.get(key) : v.trim());
                chosen.add(key);
            }
        }
    }

    private Settings build() throws ConfigException {
        Fields f = new Fields(values, problems);
        String domain = f.text("postfach.domain").toLowerCase(Locale.ROOT);
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            problems.add("postfach.domain: '" + domain + "' is not a domain name");
        }
        int aliasLength = f.integer("postfach.alias.length", 1, 254);
        int localLength = aliasLength - domain.length() - 1;
        if (aliasLength > 0 && localLength < 12) {
            problems.add("postfach.alias.length: " + aliasLength + " leaves a local part of " + localLength
                    + " characters for @" + domain + "; at least 12 are needed, so set it to "
                    + (domain.length() + 13) + " or more");
        } else if (localLength > 64) {
            problems.add("postfach.alias.length: " + aliasLength + " makes a local part of " + localLength
                    + " characters; RFC 5321 allows at most 64");
        }
        Path dataDir = f.path("data.dir");
        Settings.Smtp smtp = smtp(f);
        Settings.Delivery delivery = delivery(f, dataDir);
        String storageUrl = f.text("storage.url");
        if (storageUrl == null && dataDir != null) {
            storageUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("postfach");
        } else if (storageUrl != null && !storageUrl.startsWith("jdbc:h2:")
                && !storageUrl.startsWith("jdbc:postgresql:")) {
            problems.add("storage.url: must start with jdbc:h2: or jdbc:postgresql:");
        }
        Settings.Api api = new Settings.Api(f.text("api.host"), f.port("api.port"), f.text("api.token"),
                f.timeout("api.requestTimeout"));
        if (api.token() != null && api.token().length() < 16) {
            problems.add("api.token: must be at least 16 characters");
        }
        Settings.Policy policy = policy(f);
        Settings.Dkim dkim = dkim(f);
        List<String> dns = f.list("dns.servers");
        for (String server : dns) {
            if (!server.matches("[A-Za-z0-9.:\\[\\]-]+:\\d{1,5}")) {
                problems.add("dns.servers: '" + server + "' is not host:port");
            }
        }
        URI publicUrl = f.uri("web.publicUrl");
        Settings.Web web = new Settings.Web(publicUrl, f.integer("web.linkDays", 1, 3650));
        int retention = f.integer("retention.days", 1, 36_500);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(domain, aliasLength, dataDir, smtp, delivery, storageUrl, api, policy, retention, dkim,
                dns, web);
    }

    /** A file the relay reads at start ({@code null}: not set) must be readable now, not at the first TLS session. */
    private void readable(String key, Path file) {
        if (file != null && !Files.isReadable(file)) {
            problems.add(key + ": " + file + " is not a readable file");
        }
    }

    private Settings.Smtp smtp(Fields f) {
        Settings.Smtp smtp = new Settings.Smtp(f.text("smtp.inbound.host"), f.port("smtp.inbound.port"),
                f.port("smtp.submission.port"), f.size("smtp.maxMessageSize"), f.bool("smtp.submission.requireTls"),
                f.path("smtp.tls.certificate"), f.path("smtp.tls.key"), f.integer("smtp.maxRecipients", 1, 10_000),
                f.integer("smtp.maxConnections", 1, 100_000), f.integer("smtp.maxConnectionsPerIp", 1, 100_000),
                f.timeout("smtp.idleTimeout"), f.timeout("smtp.sessionTimeout"),
                f.integer("smtp.maxLineLength", 512, 65_536), f.integer("smtp.maxErrors", 1, 1_000),
                f.bool("smtp.inbound.verifySenders"));
        if ((smtp.tlsCertificate() == null) != (smtp.tlsKey() == null)) {
            problems.add("smtp.tls.certificate and smtp.tls.key: set both or neither");
        }
        readable("smtp.tls.certificate", smtp.tlsCertificate());
        readable("smtp.tls.key", smtp.tlsKey());
        return smtp;
    }

    private Settings.Delivery delivery(Fields f, Path dataDir) {
        Settings.DeliveryMode mode = f.choice("delivery.mode", Settings.DeliveryMode::valueOf, "file, smarthost");
        Path outbox = f.path("delivery.outbox");
        if (outbox == null && dataDir != null) {
            outbox = dataDir.resolve("outbox");
        }
        Settings.Delivery delivery = new Settings.Delivery(mode, outbox, f.text("delivery.smarthost.host"),
                f.port("delivery.smarthost.port"), f.text("delivery.smarthost.username"),
                f.text("delivery.smarthost.password"),
                f.choice("delivery.smarthost.starttls", Settings.StartTls::valueOf, "required, opportunistic, off"),
                f.integer("delivery.workers", 1, 256), f.duration("delivery.maxAge"),
                f.timeout("delivery.smarthost.timeout"));
        if (mode == Settings.DeliveryMode.SMARTHOST && delivery.smarthostHost() == null) {
            problems.add("delivery.smarthost.host: required when delivery.mode=smarthost");
        }
        if ((delivery.smarthostUsername() == null) != (delivery.smarthostPassword() == null)) {
            problems.add("delivery.smarthost.username and delivery.smarthost.password: set both or neither");
        }
        if (delivery.smarthostUsername() != null && delivery.smarthostStarttls() != Settings.StartTls.REQUIRED) {
            problems.add("delivery.smarthost.starttls: must be 'required' when a smarthost password is set"
                    + " (a password is never sent in clear text)");
        }
        return delivery;
    }

    private Settings.Policy policy(Fields f) {
        Settings.Policy policy = new Settings.Policy(f.lowerList("carriers.domains"), f.list("policy.importantTags"),
                f.choice("policy.importantMisuse", Settings.MisuseAction::valueOf, "flag, block"),
                f.text("policy.phoneRegion").toUpperCase(Locale.ROOT),
                f.integer("policy.dailyLimit.perOrder", 0, 1_000_000),
                f.integer("policy.dailyLimit.base", 0, 100_000_000));
        if (!policy.phoneRegion().matches("[A-Z]{2}")) {
            problems.add("policy.phoneRegion: '" + policy.phoneRegion() + "' is not a two-letter region code");
        }
        for (String tag : policy.importantTags()) {
            if (!tag.startsWith("[") || !tag.endsWith("]") || tag.length() < 3) {
                problems.add("policy.importantTags: '" + tag + "' must be a word in brackets, e.g. [Wichtig]");
            }
        }
        return policy;
    }

    private Settings.Dkim dkim(Fields f) {
        Settings.Dkim dkim = new Settings.Dkim(f.text("dkim.selector"), f.path("dkim.privateKey"));
        if ((dkim.selector() == null) != (dkim.privateKey() == null)) {
            problems.add("dkim.selector and dkim.privateKey: set both or neither");
        }
        readable("dkim.privateKey", dkim.privateKey());
        if (dkim.selector() != null && !dkim.selector().matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            problems.add("dkim.selector: '" + dkim.selector() + "' is not a DNS label (letters, digits, - and .)");
        }
        return dkim;
    }
}
