package org.postfach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §9: unknown options and invalid configuration end with one line per problem and exit code 2. */
class CliIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Postfach.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        Result r = run("serve", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().startsWith("postfach: Unknown option: '--bogus'");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void unknownCommandIsExitTwo() {
        Result r = run("fly");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void invalidConfigurationIsOneLinePerProblem() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "smtp.inbound.port=seventy\npostfach.alias.length=20\nsmtp.colour=blue\n");
        Result r = run("config", "check", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("postfach: smtp.inbound.port: 'seventy' is not a whole number"))
                .anySatisfy(l -> assertThat(l).startsWith("postfach: postfach.alias.length: 20 leaves a local part"))
                .anySatisfy(l -> assertThat(l).isEqualTo("postfach: smtp.colour: unknown configuration key"));
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void aMissingConfigFileIsExitTwo() {
        Result r = run("serve", "--config", dir.resolve("nope.properties").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().contains("no such file");
    }

    @Test
    void theShippedExampleNamesEveryKey() throws Exception {
        String example = Files.readString(Path.of("config/postfach.properties"));
        for (String key : org.postfach.config.SettingsLoader.keys()) {
            assertThat(example).as(key).containsPattern("(?m)^#?" + java.util.regex.Pattern.quote(key) + "=");
        }
    }

    @Test
    void theShippedExampleConfigurationIsValid() {
        Result r = run("config", "check", "--config", "config/postfach.properties");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("configuration ok");
    }

    @Test
    void configCheckPrintsEveryEffectiveValueWithSecretsMasked() throws Exception {
        Path file = dir.resolve("p.properties");
        java.nio.file.Files.writeString(file, "api.token=supersecret-token-123456\n"
                + "delivery.smarthost.username=relay\ndelivery.smarthost.starttls=required\n" + "delivery.smarthost.password=hunter2-smarthost\n"
                + "storage.url=jdbc:postgresql://db/postfach?user=p&password=dbsecret\n");
        Result r = run("config", "check", "--config", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String key : org.postfach.config.SettingsLoader.keys()) {
            assertThat(r.out()).as(key).contains("\n" + key + "=");
        }
        assertThat(r.out()).contains("api.token=****").contains("delivery.smarthost.password=****")
                .contains("password=****").doesNotContain("supersecret").doesNotContain("hunter2")
                .doesNotContain("dbsecret");
    }
}
