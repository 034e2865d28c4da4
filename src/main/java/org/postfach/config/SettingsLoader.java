package org.postfach.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

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
        String domain = text("postfach.domain").toLowerCase(Locale.ROOT);
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            problems.add("postfach.domain: '" + domain + "' is not a domain name");
        }
        int aliasLength = integer("postfach.alias.length", 1, 254);
        int localLength = aliasLength - domain.length() - 1;
        if (aliasLength > 0 && localLength < 12) {
            problems.add("postfach.alias.length: " + aliasLength + " leaves a local part of " + localLength
                    + " characters for @" + domain + "; at least 12 are needed, so set it to "
                    + (domain.length() + 13) + " or more");
        } else if (localLength > 64) {
            problems.add("postfach.alias.length: " + aliasLength + " makes a local part of " + localLength
                    + " characters; RFC 5321 allows at most 64");
        }
        Path dataDir = path("data.dir");
        Settings.Smtp smtp = new Settings.Smtp(text("smtp.inbound.host"), port("smtp.inbound.port"),
                port("smtp.submission.port"), size("smtp.maxMessageSize"), bool("smtp.submission.requireTls"),
                path("smtp.tls.certificate"), path("smtp.tls.key"), integer("smtp.maxRecipients", 1, 10_000),
                integer("smtp.maxConnections", 1, 100_000), integer("smtp.maxConnectionsPerIp", 1, 100_000),
                timeout("smtp.idleTimeout"), timeout("smtp.sessionTimeout"),
                integer("smtp.maxLineLength", 512, 65_536), integer("smtp.maxErrors", 1, 1_000),
                bool("smtp.inbound.verifySenders"));
        if ((smtp.tlsCertificate() == null) != (smtp.tlsKey() == null)) {
            problems.add("smtp.tls.certificate and smtp.tls.key: set both or neither");
        }
        for (String key : List.of("smtp.tls.certificate", "smtp.tls.key")) {
            Path file = path(key);
            if (file != null && !Files.isReadable(file)) {
                problems.add(key + ": " + file + " is not a readable file");
            }
        }
        Settings.DeliveryMode mode = choice("delivery.mode", Settings.DeliveryMode::valueOf, "file, smarthost");
        Path outbox = path("delivery.outbox");
        if (outbox == null && dataDir != null) {
            outbox = dataDir.resolve("outbox");
        }
        Settings.Delivery delivery = new Settings.Delivery(mode, outbox, text("delivery.smarthost.host"),
                port("delivery.smarthost.port"), text("delivery.smarthost.username"),
                text("delivery.smarthost.password"),
                choice("delivery.smarthost.starttls", Settings.StartTls::valueOf, "required, opportunistic, off"),
                integer("delivery.workers", 1, 256), duration("delivery.maxAge"),
                timeout("delivery.smarthost.timeout"));
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
        String storageUrl = text("storage.url");
        if (storageUrl == null && dataDir != null) {
            storageUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("postfach");
        } else if (storageUrl != null && !storageUrl.startsWith("jdbc:h2:") && !storageUrl.startsWith("jdbc:postgresql:")) {
            problems.add("storage.url: must start with jdbc:h2: or jdbc:postgresql:");
        }
        Settings.Api api = new Settings.Api(text("api.host"), port("api.port"), text("api.token"));
        if (api.token() != null && api.token().length() < 16) {
            problems.add("api.token: must be at least 16 characters");
        }
        Settings.Policy policy = new Settings.Policy(lowerList("carriers.domains"), list("policy.importantTags"),
                choice("policy.importantMisuse", Settings.MisuseAction::valueOf, "flag, block"),
                text("policy.phoneRegion").toUpperCase(Locale.ROOT),
                integer("policy.dailyLimit.perOrder", 0, 1_000_000), integer("policy.dailyLimit.base", 0, 100_000_000));
        if (!policy.phoneRegion().matches("[A-Z]{2}")) {
            problems.add("policy.phoneRegion: '" + policy.phoneRegion() + "' is not a two-letter region code");
        }
        for (String tag : policy.importantTags()) {
            if (!tag.startsWith("[") || !tag.endsWith("]") || tag.length() < 3) {
                problems.add("policy.importantTags: '" + tag + "' must be a word in brackets, e.g. [Wichtig]");
            }
        }
        Settings.Dkim dkim = new Settings.Dkim(text("dkim.selector"), path("dkim.privateKey"));
        if ((dkim.selector() == null) != (dkim.privateKey() == null)) {
            problems.add("dkim.selector and dkim.privateKey: set both or neither");
        }
        if (dkim.privateKey() != null && !Files.isReadable(dkim.privateKey())) {
            problems.add("dkim.privateKey: " + dkim.privateKey() + " is not a readable file");
        }
        if (dkim.selector() != null && !dkim.selector().matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            problems.add("dkim.selector: '" + dkim.selector() + "' is not a DNS label (letters, digits, - and .)");
        }
        List<String> dns = list("dns.servers");
        for (String server : dns) {
            if (!server.matches("[A-Za-z0-9.:\\[\\]-]+:\\d{1,5}")) {
                problems.add("dns.servers: '" + server + "' is not host:port");
            }
        }
        URI publicUrl = uri("web.publicUrl");
        Settings.Web web = new Settings.Web(publicUrl, integer("web.linkDays", 1, 3650));
        int retention = integer("retention.days", 1, 36_500);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(domain, aliasLength, dataDir, smtp, delivery, storageUrl, api, policy, retention, dkim,
                dns, web);
    }

    private String text(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private <T> T parsed(String key, Function<String, T> parser, T fallback) {
        String v = text(key);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            problems.add(key + ": " + (e.getMessage() == null ? "invalid value '" + v + "'" : e.getMessage()));
            return fallback;
        }
    }

    private int integer(String key, int min, int max) {
        Integer n = parsed(key, v -> {
            int i;
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a whole number");
            }
            if (i < min || i > max) {
                throw new IllegalArgumentException(i + " is out of range (" + min + " to " + max + ")");
            }
            return i;
        }, -1);
        return n == null ? -1 : n;
    }

    private int port(String key) {
        return integer(key, 0, 65_535);
    }

    private boolean bool(String key) {
        Boolean b = parsed(key, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
        }, false);
        return b != null && b;
    }

    private long size(String key) {
        Long n = parsed(key, Values::size, -1L);
        if (n != null && n >= 0 && n < 1024) {
            problems.add(key + ": " + n + " bytes is too small (at least 1KB)");
        }
        return n == null ? -1 : n;
    }

    private Duration duration(String key) {
        return parsed(key, Values::duration, Duration.ZERO);
    }

    /** A duration that bounds an SMTP session: more than zero, and at most 24 days (a socket timeout is an int). */
    private Duration timeout(String key) {
        Duration d = parsed(key, Values::duration, null); // null when unparsable: that problem is already listed
        if (d != null && (d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE)) {
            problems.add(key + ": " + text(key) + " is out of range (more than 0, at most 24d)");
        }
        return d;
    }

    private Path path(String key) {
        return parsed(key, Path::of, null);
    }

    private URI uri(String key) {
        return parsed(key, v -> {
            URI u = URI.create(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("'" + v + "' is not an http or https URL");
            }
            return u;
        }, null);
    }

    private List<String> list(String key) {
        String v = text(key);
        return v == null ? List.of() : Values.list(v);
    }

    private List<String> lowerList(String key) {
        return list(key).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    private <E extends Enum<E>> E choice(String key, Function<String, E> valueOf, String allowed) {
        return parsed(key, v -> {
            try {
                return valueOf.apply(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + v + "' is not one of " + allowed);
            }
        }, null);
    }
}
