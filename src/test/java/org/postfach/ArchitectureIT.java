package org.postfach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE "Dependency rule", checked on the sources: the core imports no adapter library. */
class ArchitectureIT {
    static final Path SRC = Path.of("src/main/java/org/postfach");
    static final Set<String> CORE = Set.of("directory", "intake", "resolve", "policy", "rewrite", "queue", "bounce",
            "archive", "links", "proof", "dkim");
    static final List<String> ADAPTER_IMPORTS = List.of("org.subethamail", "java.sql", "javax.sql", "io.javalin",
            "com.sun.net.httpserver", "com.zaxxer", "org.flywaydb", "org.postfach.store", "org.postfach.smtp",
            "org.postfach.api", "org.postfach.web", "org.postfach.delivery");

    @Test
    void corePackagesImportNoAdapter() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : CORE) {
            for (Path file : javaFiles(SRC.resolve(pkg))) {
                for (String line : Files.readAllLines(file)) {
                    for (String forbidden : ADAPTER_IMPORTS) {
                        if (line.startsWith("import " + forbidden)) {
                            violations.add(file + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void mailAndConfigImportNothingFromTheProject() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : List.of("mail", "config")) {
            for (Path file : javaFiles(SRC.resolve(pkg))) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import org.postfach.") && !line.startsWith("import org.postfach." + pkg + ".")) {
                        violations.add(file + ": " + line);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyTheSmtpAdapterImportsSubetha() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(SRC)) {
            if (!file.startsWith(SRC.resolve("smtp"))
                    && Files.readString(file).contains("import org.subethamail")) {
                violations.add(file.toString());
            }
        }
        assertThat(violations).isEmpty();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
