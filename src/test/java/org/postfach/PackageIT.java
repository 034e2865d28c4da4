package org.postfach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9 packaging: the tarball built in the package phase unpacks to a distribution whose {@code bin/postfach}
 * works from any working directory. Runs the real script in a child process, as an operator would.
 */
class PackageIT {
    static final Pattern STARTED = Pattern.compile("SMTP inbound on [^ ]+:(\\d+), API on [^ ]+:(\\d+)");

    @TempDir
    Path dir;
    Path home;
    Path elsewhere;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("postfach-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/postfach-*.tar.gz: run the package phase"));
        }
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("postfach-");
        assertThat(home.resolve("bin/postfach")).isExecutable();
        assertThat(home.resolve("config/postfach.properties")).isRegularFile();
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    }

    ProcessBuilder postfach(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/postfach").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("POSTFACH_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("POSTFACH_DATA_DIR", dir.resolve("data").toString());
        env.put("POSTFACH_SMTP_INBOUND_PORT", "0");
        env.put("POSTFACH_SMTP_SUBMISSION_PORT", "0");
        env.put("POSTFACH_API_PORT", "0");
        return pb;
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithoutThreadNames() throws Exception {
        ProcessBuilder pb = postfach("serve");
        pb.environment().put("POSTFACH_LOG_FORMAT", "json");
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.get("level").asText()).isEqualTo("INFO");
            assertThat(json.get("formattedMessage").asText()).contains("SMTP inbound on");
            assertThat(json.has("threadName")).isFalse();
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void configCheckExitsZero() throws Exception {
        Process p = postfach("config", "check").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("configuration ok").contains("data.dir=" + dir.resolve("data"));
    }

    /** The lines a child process prints, read as they come; {@link #await} waits for one that matches. */
    static final class Output {
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder log = new StringBuilder();
        private final Process p;

        Output(Process p) {
            this.p = p;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "postfach-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line that matches within 60 seconds, or null. */
        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && (p.isAlive() || !lines.isEmpty())) {
                String line = lines.poll(500, TimeUnit.MILLISECONDS);
                if (line != null) {
                    log.append(line).append('\n');
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
            }
            return null;
        }

        String soFar() {
            return "output so far:\n" + log;
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serveStartsFromAnotherDirectoryAnswersHealthAndStops() throws Exception {
        Process p = postfach("serve").start();
        Output out = new Output(p);
        try {
            Matcher started = out.await(STARTED);
            assertThat(started).as("start-up log line; " + out.soFar()).isNotNull();
            int smtpPort = Integer.parseInt(started.group(1));
            int apiPort = Integer.parseInt(started.group(2));
            assertThat(smtpPort).isPositive();
            assertThat(apiPort).isPositive();

            HttpResponse<String> health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/health"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            try (Socket smtp = new Socket("127.0.0.1", smtpPort)) {
                smtp.setSoTimeout(10_000);
                String greeting = new BufferedReader(new InputStreamReader(smtp.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(greeting).startsWith("220 ");
            }
            // the data directory is the configured one, nothing lands in the working directory
            assertThat(dir.resolve("data/api-token")).isRegularFile();
            try (Stream<Path> cwd = Files.list(elsewhere)) {
                assertThat(cwd).isEmpty();
            }
        } finally {
            stop(p);
        }
        assertThat(p.isAlive()).isFalse();
    }

    /** SPEC §9: the swaks command that {@code serve --demo} prints sends a mail that is accepted and delivered. */
    @Test
    void theDemosSwaksMailIsAcceptedAndDelivered() throws Exception {
        Process p = postfach("serve", "--demo").start();
        Output out = new Output(p);
        try {
            Matcher swaks = out.await(Pattern.compile("swaks --server [^ ]+:(\\d+) --from ([^ ]+) --to ([^ ]+)"
                    + " --header '([^']+)' --body '([^']+)'"));
            assertThat(swaks).as("the swaks line; " + out.soFar()).isNotNull();
            String from = swaks.group(2);
            String to = swaks.group(3);
            byte[] message = ("From: " + from + "\r\nTo: " + to + "\r\n" + swaks.group(4) + "\r\n\r\n"
                    + swaks.group(5) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try (org.postfach.testing.SmtpDialogue s = new org.postfach.testing.SmtpDialogue(
                    Integer.parseInt(swaks.group(1)))) {
                s.send("EHLO demo.example");
                assertThat(s.mail(from, to, message)).startsWith("250 ");
            }
            Path outbox = dir.resolve("data/outbox");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.isDirectory(outbox) && Files.list(outbox).findAny().isPresent());
            try (Stream<Path> files = Files.list(outbox)) {
                String delivered = Files.readString(files.findFirst().orElseThrow(), StandardCharsets.ISO_8859_1);
                assertThat(delivered).contains(swaks.group(5)).doesNotContain(from);
            }
        } finally {
            stop(p);
        }
    }
}
