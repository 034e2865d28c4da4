package org.postfach.durability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay as a separate JVM, so that a test can kill it with SIGKILL. */
final class ChildRelay implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("SMTP inbound on [0-9.]+:(\\d+), API on [0-9.]+:(\\d+)");
    final Process process;
    final int smtpPort;
    final int apiPort;

    ChildRelay(Map<String, String> env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.postfach.Postfach", "serve");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        process = pb.start();
        BlockingQueue<Matcher> ready = new ArrayBlockingQueue<>(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.offer(m);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        Matcher m = ready.poll(60, TimeUnit.SECONDS);
        if (m == null) {
            process.destroyForcibly();
            throw new IllegalStateException("relay did not start within 60 s");
        }
        smtpPort = Integer.parseInt(m.group(1));
        apiPort = Integer.parseInt(m.group(2));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            process.waitFor(1, TimeUnit.SECONDS);
        }
        process.destroyForcibly();
    }
}
