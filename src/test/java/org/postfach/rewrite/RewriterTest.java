package org.postfach.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriterTest {
    private final Rewriter rewriter = new Rewriter("marketplace.example");
    private final Rewriter.Party from = new Rewriter.Party("Shop", "shop-x@marketplace.example");
    private final Rewriter.Party to = new Rewriter.Party(null, "buyer-y@marketplace.example");

    private String rewrite(String message, Instant now) {
        return new String(rewriter.rewrite(message.getBytes(StandardCharsets.UTF_8), from, to, "<r1@marketplace.example>",
                List.of(), List.of(), Date.from(now), "Hallo"), StandardCharsets.UTF_8);
    }

    @Test
    void aMessageWithoutDateGetsOneInRfc5322FormInUtc() throws Exception {
        Instant now = Instant.parse("2026-12-07T02:30:05Z");
        String out = rewrite("Subject: Hallo\r\n\r\nText\r\n", now);
        assertThat(out).contains("\r\nDate: Mon, 7 Dec 2026 02:30:05 +0000\r\n");
        String date = out.substring(out.indexOf("Date: ") + 6, out.indexOf("\r\n", out.indexOf("Date: ")));
        assertThat(new MailDateFormat().parse(date).toInstant()).isEqualTo(now);
    }

    @Test
    void theSendersDateIsKept() {
        String out = rewrite("Date: Sun, 6 Dec 2026 10:00:00 +0100\r\nSubject: Hallo\r\n\r\nText\r\n", Instant.now());
        assertThat(out).contains("Date: Sun, 6 Dec 2026 10:00:00 +0100\r\n").doesNotContain("+0000");
    }
}
