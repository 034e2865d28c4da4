package org.postfach.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The whole validated configuration (SPEC §9), immutable. Built only by {@link SettingsLoader}. */
public record Settings(
        String domain,
        int aliasLength,
        Path dataDir,
        Smtp smtp,
        Delivery delivery,
        String storageUrl,
        Api api,
        Policy policy,
        int retentionDays,
        Dkim dkim,
        List<String> dnsServers,
        Web web) {

    public record Smtp(String inboundHost, int inboundPort, int submissionPort, long maxMessageSize,
                       boolean submissionRequireTls, Path tlsCertificate, Path tlsKey, int maxRecipients,
                       int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, Duration sessionTimeout,
                       int maxLineLength, int maxErrors, boolean inboundVerifySenders) {
        /** STARTTLS is offered when a certificate and key are configured. */
        public boolean tls() {
            return tlsCertificate != null && tlsKey != null;
        }
    }

    public enum DeliveryMode { FILE, SMARTHOST }

    public enum StartTls { REQUIRED, OPPORTUNISTIC, OFF }

    public record Delivery(DeliveryMode mode, Path outbox, String smarthostHost, int smarthostPort,
                           String smarthostUsername, String smarthostPassword, StartTls smarthostStarttls,
                           int workers, Duration maxAge, Duration smarthostTimeout) {
    }

    /** {@code requestTimeout}: how long the HTTP server waits for a request, from its first byte to the answer. */
    public record Api(String host, int port, String token, Duration requestTimeout) {
    }

    public enum MisuseAction { FLAG, BLOCK }

    public record Policy(List<String> carrierDomains, List<String> importantTags, MisuseAction importantMisuse,
                         String phoneRegion, int dailyLimitPerOrder, int dailyLimitBase) {
    }

    public record Dkim(String selector, Path privateKey) {
        public boolean enabled() {
            return selector != null && privateKey != null;
        }
    }

    public record Web(URI publicUrl, int linkDays) {
    }

    /** The local part length that {@code postfach.alias.length} leaves after {@code @domain}. */
    public int aliasLocalLength() {
        return aliasLength - domain.length() - 1;
    }

    /** A copy with the API token set (used when the token is generated at first start). */
    public Settings withApiToken(String token) {
        return new Settings(domain, aliasLength, dataDir, smtp, delivery, storageUrl,
                new Api(api.host(), api.port(), token, api.requestTimeout()), policy, retentionDays, dkim, dnsServers,
                web);
    }
}
