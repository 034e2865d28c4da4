package org.postfach.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.postfach.Relay;
import org.postfach.config.ConfigException;
import org.postfach.config.Settings;
import org.postfach.config.SettingsLoader;
import org.postfach.proof.Dns;

/** Starts the whole relay in-process on free loopback ports, delivering to a smarthost (GreenMail). */
public final class TestRelay {
    public static final String TOKEN = "test-token-0123456789abcdef";

    private TestRelay() {
    }

    /** Environment for a relay in {@code dataDir} that delivers to {@code smarthostPort}. */
    public static Map<String, String> env(Path dataDir, int smarthostPort) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTFACH_DATA_DIR", dataDir.toString());
        env.put("POSTFACH_SMTP_INBOUND_PORT", "0");
        env.put("POSTFACH_SMTP_SUBMISSION_PORT", "0");
        env.put("POSTFACH_API_PORT", "0");
        env.put("POSTFACH_API_TOKEN", TOKEN);
        env.put("POSTFACH_DELIVERY_MODE", "smarthost");
        env.put("POSTFACH_DELIVERY_SMARTHOST_HOST", "127.0.0.1");
        env.put("POSTFACH_DELIVERY_SMARTHOST_PORT", Integer.toString(smarthostPort));
        env.put("POSTFACH_DELIVERY_SMARTHOST_STARTTLS", "off");
        // these relays have no DNS: the sender proof (SPEC §7) is off here and proven with a stub DNS in ProofIT
        env.put("POSTFACH_SMTP_INBOUND_VERIFYSENDERS", "false");
        return env;
    }

    public static Relay start(Path dataDir, int smarthostPort, Map<String, String> overrides) {
        return start(dataDir, smarthostPort, overrides, Clock.systemUTC(), null);
    }

    public static Relay start(Path dataDir, int smarthostPort, Map<String, String> overrides, Clock clock) {
        return start(dataDir, smarthostPort, overrides, clock, null);
    }

    /** With {@code dns} (a stub) for the sender proof; null: the relay's own resolver. */
    public static Relay start(Path dataDir, int smarthostPort, Map<String, String> overrides, Dns dns) {
        return start(dataDir, smarthostPort, overrides, Clock.systemUTC(), dns);
    }

    public static Relay start(Path dataDir, int smarthostPort, Map<String, String> overrides, Clock clock, Dns dns) {
        Map<String, String> env = env(dataDir, smarthostPort);
        env.putAll(overrides);
        try {
            Files.createDirectories(dataDir);
            Settings settings = SettingsLoader.load(null, env);
            return dns == null ? Relay.start(settings, clock) : Relay.start(settings, clock, dns);
        } catch (ConfigException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Api api(Relay relay) {
        return new Api(relay.apiPort(), relay.apiToken());
    }
}
