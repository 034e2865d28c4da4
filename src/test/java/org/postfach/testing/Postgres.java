package org.postfach.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL for tests, found or started once per test JVM (ARCHITECTURE "Tests": storage contracts run on H2
 * and on PostgreSQL). In order: the server named by {@code POSTFACH_TEST_PG_URL} (a JDBC URL of a database whose
 * user may CREATE DATABASE); else a throw-away cluster made with the local {@code /usr/lib/postgresql/N/bin/initdb}
 * (as the {@code postgres} user when we run as root, since initdb refuses root), on a free loopback port with its
 * socket directory under /tmp, stopped at JVM exit; else none, and the PostgreSQL tests are skipped, unless
 * {@code POSTFACH_REQUIRE_PG} is set (CI sets it), in which case they fail.
 */
public final class Postgres {
    private static final String BIN_ROOT = "/usr/lib/postgresql";
    private static String adminUrl;
    private static String unavailable;

    private Postgres() {
    }

    /** A fresh, empty database {@code t_<random>} on the test server; skips (or fails in CI) without a server. */
    public static String freshDatabase() {
        String admin = adminUrl();
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return withDatabase(admin, name);
    }

    /** The JDBC URL of the server's administrative database; skips the calling test when there is no server. */
    public static synchronized String adminUrl() {
        if (adminUrl == null && unavailable == null) {
            try {
                adminUrl = findOrStart();
            } catch (Exception e) {
                unavailable = "could not start PostgreSQL: " + e.getMessage();
            }
        }
        if (adminUrl == null) {
            String why = "PostgreSQL tests skipped: " + unavailable
                    + " (set POSTFACH_TEST_PG_URL, or install postgresql; .ci/run does)";
            if (System.getenv("POSTFACH_REQUIRE_PG") != null) {
                throw new IllegalStateException(why.replace("skipped", "required (POSTFACH_REQUIRE_PG)"));
            }
            System.err.println(why);
            Assumptions.abort(why);
        }
        return adminUrl;
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + params;
    }

    private static String findOrStart() throws Exception {
        String given = System.getenv("POSTFACH_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path bin = binDir();
        if (bin == null) {
            unavailable = "no " + BIN_ROOT + "/*/bin/initdb";
            return null;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory(Path.of("/tmp"), "postfach-pg-");
        Path data = home.resolve("data");
        if (root) {
            run(List.of("chown", "postgres:postgres", home.toString()), false, 30);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync"), root, 120);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c max_connections=300"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l",
                        home.resolve("server.log").toString(), "-w", "-t", "60", "start"), root, 90);
            } catch (IOException e) {
                last = e; // most likely the port was taken in between: try another one
                continue;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, home, root), "postgres-stop"));
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        }
        throw last;
    }

    private static void stop(Path bin, Path data, Path home, boolean root) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    root, 30);
        } catch (Exception ignored) {
            // the JVM is exiting anyway
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind in /tmp
        }
    }

    /** The newest installed version's bin directory that holds initdb, or null. */
    private static Path binDir() throws IOException {
        Path root = Path.of(BIN_ROOT);
        if (!Files.isDirectory(root)) {
            return null;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
            for (Path v : versions) {
                if (Files.isExecutable(v.resolve("bin/initdb"))) {
                    found.add(v.resolve("bin"));
                }
            }
        }
        found.sort(Comparator.comparingInt(p -> version(p.getParent().getFileName().toString())));
        return found.isEmpty() ? null : found.get(found.size() - 1);
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a command, as the postgres user when {@code asPostgres}; fails with its output unless it exits 0. */
    private static void run(List<String> command, boolean asPostgres, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
                full.addAll(command);
            } else {
                full.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", shellQuote(command)));
            }
        } else {
            full.addAll(command);
        }
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        // pg_ctl start leaves the server holding a copy of stdout only when -l is missing; we always pass -l.
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
    }

    private static String shellQuote(List<String> command) {
        StringBuilder b = new StringBuilder();
        for (String arg : command) {
            b.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        return b.toString().trim();
    }
}
