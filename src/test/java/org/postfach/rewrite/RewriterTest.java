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

    @Test
    void aSellersMessageNamesTheOptOutLinkAndTheSendersOwnListFieldsGo() {
        String url = "https://mail.marketplace.example/unsubscribe/" + "a".repeat(120) + ".bbbbbbbbbbbbbbbbbbbbbb";
        String out = new String(rewriter.rewrite(("Subject: Hallo\r\nList-Unsubscribe: <mailto:leave@shop.example>\r\n"
                        + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Id: <news.shop.example>\r\n\r\nText\r\n")
                        .getBytes(StandardCharsets.UTF_8), from, to, "<r1@marketplace.example>", List.of(), List.of(),
                new Date(), null, url), StandardCharsets.UTF_8);
        String head = out.substring(0, out.indexOf("\r\n\r\n") + 2);
        assertThat(head.replace("\r\n ", " ").replace("\r\n\t", "\t")).contains("List-Unsubscribe: <" + url + ">\r\n");
        assertThat(head).contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
                .doesNotContain("leave@shop.example").doesNotContain("List-Id");
        assertThat(head.split("List-Unsubscribe-Post", -1)).hasSize(2); // once: ours
        assertThat(rewrite("Subject: Hallo\r\nList-Unsubscribe: <mailto:x@shop.example>\r\n\r\nText\r\n", Instant.now()))
                .doesNotContain("List-Unsubscribe");
    }
}
