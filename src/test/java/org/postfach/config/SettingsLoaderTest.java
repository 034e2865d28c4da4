package org.postfach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {

    static ConfigException problems(Map<String, String> env) {
        try {
            SettingsLoader.load(null, env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("configuration was accepted: " + env);
    }

    @Test
    void defaultsMatchTheSpec() throws Exception {
        Settings s = SettingsLoader.load(null, Map.of());
        assertThat(s.domain()).isEqualTo("marketplace.example");
        assertThat(s.aliasLength()).isEqualTo(35);
        assertThat(s.smtp().inboundHost()).isEqualTo("127.0.0.1");
        assertThat(s.smtp().inboundPort()).isEqualTo(2525);
        assertThat(s.smtp().submissionPort()).isEqualTo(2587);
        assertThat(s.smtp().maxMessageSize()).isEqualTo(10_485_760L);
        assertThat(s.smtp().maxLineLength()).isEqualTo(2048);
        assertThat(s.smtp().maxErrors()).isEqualTo(20);
        assertThat(s.smtp().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.smtp().sessionTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.api().requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.smtp().tls()).isFalse();
        assertThat(s.smtp().inboundVerifySenders()).isTrue(); // SPEC §7: on unless turned off
        assertThat(s.api().port()).isEqualTo(8025);
        assertThat(s.delivery().mode()).isEqualTo(Settings.DeliveryMode.FILE);
        assertThat(s.delivery().maxAge()).isEqualTo(Duration.ofDays(5));
        assertThat(s.delivery().outbox().toString()).isEqualTo("./data/outbox");
        assertThat(s.storageUrl()).startsWith("jdbc:h2:file:").endsWith("/data/postfach");
        assertThat(s.policy().importantTags()).containsExactly("[Wichtig]", "[Important]");
        assertThat(s.policy().dailyLimitPerOrder()).isEqualTo(5);
        assertThat(s.policy().dailyLimitBase()).isEqualTo(600);
        assertThat(s.policy().phoneRegion()).isEqualTo("DE");
        assertThat(s.retentionDays()).isEqualTo(730);
        assertThat(s.web().publicUrl().toString()).isEqualTo("http://127.0.0.1:8025");
        assertThat(s.web().linkDays()).isEqualTo(30);
        assertThat(s.aliasLocalLength()).isEqualTo(15);
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        assertThat(SettingsLoader.envName("smtp.inbound.port")).isEqualTo("POSTFACH_SMTP_INBOUND_PORT");
        Settings s = SettingsLoader.load(null, Map.of("POSTFACH_SMTP_INBOUND_PORT", "2626",
                "POSTFACH_SMTP_MAXMESSAGESIZE", "512KB", "POSTFACH_SMTP_IDLETIMEOUT", "90s"));
        assertThat(s.smtp().inboundPort()).isEqualTo(2626);
        assertThat(s.smtp().maxMessageSize()).isEqualTo(524_288L);
        assertThat(s.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void everyBadKeyIsOneLineAndAllAreReportedTogether() {
        ConfigException e = problems(Map.of("POSTFACH_SMTP_INBOUND_PORT", "70000",
                "POSTFACH_SMTP_IDLETIMEOUT", "5 minutes", "POSTFACH_DELIVERY_MODE", "pigeon",
                "POSTFACH_SMTP_MAXMESSAGESIZE", "ten"));
        assertThat(e.problems()).hasSize(4).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(e.problems()).anySatisfy(l -> assertThat(l).startsWith("smtp.inbound.port: 70000 is out of range"))
                .anySatisfy(l -> assertThat(l).startsWith("smtp.idleTimeout: '5 minutes' is not a duration"))
                .anySatisfy(l -> assertThat(l).startsWith("delivery.mode: 'pigeon' is not one of file, smarthost"))
                .anySatisfy(l -> assertThat(l).startsWith("smtp.maxMessageSize: 'ten' is not a size"));
    }

    @Test
    void anAliasLengthThatLeavesFewerThanTwelveCharactersFailsClearly() {
        ConfigException e = problems(Map.of("POSTFACH_POSTFACH_ALIAS_LENGTH", "31"));
        assertThat(e.problems()).singleElement().asString()
                .contains("postfach.alias.length: 31 leaves a local part of 11 characters")
                .contains("at least 12");
        // exactly twelve is enough
        assertThat(catchNothing(Map.of("POSTFACH_POSTFACH_ALIAS_LENGTH", "32")).aliasLocalLength()).isEqualTo(12);
    }

    static Settings catchNothing(Map<String, String> env) {
        try {
            return SettingsLoader.load(null, env);
        } catch (ConfigException e) {
            throw new AssertionError(e.problems());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POSTFACH_DELIVERY_MODE=smarthost | delivery.smarthost.host: required when delivery.mode=smarthost",
        "POSTFACH_SMTP_TLS_CERTIFICATE=/x.pem | smtp.tls.certificate and smtp.tls.key: set both or neither",
        "POSTFACH_API_TOKEN=short | api.token: must be at least 16 characters",
        "POSTFACH_STORAGE_URL=jdbc:mysql://x | storage.url: must start with jdbc:h2: or jdbc:postgresql:",
        "POSTFACH_POLICY_IMPORTANTTAGS=Wichtig | policy.importantTags: 'Wichtig' must be a word in brackets",
        "POSTFACH_WEB_PUBLICURL=ftp://x | web.publicUrl: 'ftp://x' is not an http or https URL",
        "POSTFACH_DNS_SERVERS=8.8.8.8 | dns.servers: '8.8.8.8' is not host:port",
        "POSTFACH_POSTFACH_DOMAIN=not a domain | postfach.domain: 'not a domain' is not a domain name",
        "POSTFACH_SMTP_SUBMISSION_REQUIRETLS=maybe | smtp.submission.requireTls: 'maybe' is not true or false",
        "POSTFACH_SMTP_INBOUND_VERIFYSENDERS=sometimes | smtp.inbound.verifySenders: 'sometimes' is not true or false",
        "POSTFACH_SMTP_IDLETIMEOUT=0s | smtp.idleTimeout: 0s is out of range",
        "POSTFACH_API_REQUESTTIMEOUT=soon | api.requestTimeout: 'soon' is not a duration",
        "POSTFACH_SMTP_SESSIONTIMEOUT=30d | smtp.sessionTimeout: 30d is out of range",
        "POSTFACH_SMTP_MAXLINELENGTH=100 | smtp.maxLineLength: 100 is out of range (512 to 65536)",
        "POSTFACH_SMTP_MAXERRORS=0 | smtp.maxErrors: 0 is out of range",
        "POSTFACH_SMTP_TLS_KEY=/nonexistent/key.pem | smtp.tls.key: /nonexistent/key.pem is not a readable file",
    })
    void invalidValuesAreNamed(String assignment, String expected) {
        String[] kv = assignment.split("=", 2);
        assertThat(problems(Map.of(kv[0], kv[1])).problems()).anySatisfy(l -> assertThat(l).startsWith(expected));
    }

    @Test
    void aSmarthostPasswordRequiresStarttls() {
        assertThat(problems(Map.of("POSTFACH_DELIVERY_MODE", "smarthost", "POSTFACH_DELIVERY_SMARTHOST_HOST", "mx",
                "POSTFACH_DELIVERY_SMARTHOST_USERNAME", "u", "POSTFACH_DELIVERY_SMARTHOST_PASSWORD", "p")).problems())
                .singleElement().asString().startsWith("delivery.smarthost.starttls: must be 'required'");
    }

    @Test
    void replacedDefaultsGiveWayToTheFileAndTheEnvironment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Map<String, String> demo = Map.of("smtp.inbound.verifySenders", "false");
        assertThat(SettingsLoader.load(null, Map.of(), demo).smtp().inboundVerifySenders()).isFalse();
        assertThat(SettingsLoader.load(null, Map.of("POSTFACH_SMTP_INBOUND_VERIFYSENDERS", "true"), demo)
                .smtp().inboundVerifySenders()).isTrue();
        java.nio.file.Path file = dir.resolve("postfach.properties");
        java.nio.file.Files.writeString(file, "smtp.inbound.verifySenders=true\n");
        assertThat(SettingsLoader.load(file, Map.of(), demo).smtp().inboundVerifySenders()).isTrue();
    }

    @Test
    void valueSyntaxes() {
        assertThat(Values.size("10MB")).isEqualTo(10_485_760L);
        assertThat(Values.size("1024")).isEqualTo(1024L);
        assertThat(Values.duration("5d")).isEqualTo(Duration.ofDays(5));
        assertThat(Values.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Values.list(" a, b ,,c")).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> Values.duration("5")).isInstanceOf(IllegalArgumentException.class);
    }
}
