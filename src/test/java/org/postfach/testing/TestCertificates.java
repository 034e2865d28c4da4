package org.postfach.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost made with openssl at test time: key.pem (PKCS#8), rsa-key.pem, cert.pem. */
public final class TestCertificates {
    private TestCertificates() {
    }

    public static void create(Path dir) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days",
                "1", "-subj", "/CN=localhost");
        openssl(dir, "rsa", "-in", "key.pem", "-traditional", "-out", "rsa-key.pem");
    }

    /** Runs openssl in {@code dir} and answers its output; a non-zero exit is an exception. */
    public static String openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
