package org.postfach.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration keys of SPEC §9; {@link SettingsLoader} reads and validates them. */
final class ConfigKeys {
    /** Every key with its default; {@code null} means "not set". */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("postfach.domain", "marketplace.example");
        DEFAULTS.put("postfach.alias.length", "35");
        DEFAULTS.put("data.dir", "./data");
        DEFAULTS.put("smtp.inbound.host", "127.0.0.1");
        DEFAULTS.put("smtp.inbound.port", "2525");
        DEFAULTS.put("smtp.submission.port", "2587");
        DEFAULTS.put("smtp.maxMessageSize", "10MB");
        DEFAULTS.put("smtp.submission.requireTls", "true");
        DEFAULTS.put("smtp.tls.certificate", null);
        DEFAULTS.put("smtp.tls.key", null);
        DEFAULTS.put("smtp.maxRecipients", "50");
        DEFAULTS.put("smtp.maxConnections", "200");
        DEFAULTS.put("smtp.maxConnectionsPerIp", "20");
        DEFAULTS.put("smtp.idleTimeout", "5m");
        DEFAULTS.put("smtp.sessionTimeout", "30m");
        DEFAULTS.put("smtp.maxLineLength", "2048");
        DEFAULTS.put("smtp.maxErrors", "20");
        DEFAULTS.put("smtp.inbound.verifySenders", "true");
        DEFAULTS.put("delivery.mode", "file");
        DEFAULTS.put("delivery.outbox", null);
        DEFAULTS.put("delivery.smarthost.host", null);
        DEFAULTS.put("delivery.smarthost.port", "25");
        DEFAULTS.put("delivery.smarthost.username", null);
        DEFAULTS.put("delivery.smarthost.password", null);
        DEFAULTS.put("delivery.smarthost.starttls", "opportunistic");
        DEFAULTS.put("delivery.workers", "4");
        DEFAULTS.put("delivery.maxAge", "5d");
        DEFAULTS.put("delivery.smarthost.timeout", "60s");
        DEFAULTS.put("storage.url", null);
        DEFAULTS.put("api.host", "127.0.0.1");
        DEFAULTS.put("api.port", "8025");
        DEFAULTS.put("api.token", null);
        DEFAULTS.put("api.requestTimeout", "60s");
        DEFAULTS.put("carriers.domains", "dhl.de,dpd.de,ups.com,hermes-europe.co.uk,gls-group.eu");
        DEFAULTS.put("policy.importantTags", "[Wichtig],[Important]");
        DEFAULTS.put("policy.importantMisuse", "flag");
        DEFAULTS.put("policy.phoneRegion", "DE");
        DEFAULTS.put("policy.dailyLimit.perOrder", "5");
        DEFAULTS.put("policy.dailyLimit.base", "600");
        DEFAULTS.put("retention.days", "730");
        DEFAULTS.put("dkim.selector", null);
        DEFAULTS.put("dkim.privateKey", null);
        DEFAULTS.put("dns.servers", "");
        DEFAULTS.put("web.publicUrl", "http://127.0.0.1:8025");
        DEFAULTS.put("web.linkDays", "30");
    }

    private ConfigKeys() {
    }
}
