package org.postfach.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postfach.proof.SenderProof.Outcome;

/** SPF or DKIM aligned with From: (DMARC relaxed), one row per case; DNS from a stub. */
class ProofTest {
    static final String IP = "192.0.2.10";

    static String message(String fromDomain) {
        return "From: Shop <sales@" + fromDomain + ">\r\nTo: buyer@relay.example\r\nSubject: Your order\r\n\r\n"
                + "Thanks for your order.\r\n";
    }

    static byte[] plain(String fromDomain) {
        return message(fromDomain).getBytes(StandardCharsets.UTF_8);
    }

    record Case(String name, Consumer<StubDns> dns, String ip, String mailFrom, String fromDomain, byte[] raw,
                Outcome outcome, String spf, String dkim, String aligned) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("spf pass aligned", d -> d.txt("shop.example", "v=spf1 ip4:192.0.2.0/24 -all"),
                        IP, "orders@shop.example", "shop.example", plain("shop.example"),
                        Outcome.PASS, "pass", "none", "spf"),
                new Case("spf pass on a subdomain, relaxed alignment", d -> d.txt("bounce.shop.example",
                        "v=spf1 ip4:192.0.2.10 -all"), IP, "b-123@bounce.shop.example", "shop.example",
                        plain("shop.example"), Outcome.PASS, "pass", "none", "spf"),
                new Case("spf pass for an unrelated domain (an ESP) is not aligned",
                        d -> d.txt("esp.example", "v=spf1 ip4:192.0.2.10 -all"), IP, "x@esp.example",
                        "shop.example", plain("shop.example"), Outcome.FAIL, "pass", "none", "none"),
                new Case("spf fail, dkim pass aligned", d -> d.txt("shop.example", "v=spf1 -all")
                        .dkimKey("s1", "shop.example"), IP, "orders@shop.example", "shop.example",
                        StubDns.sign(message("shop.example"), "s1", "shop.example"),
                        Outcome.PASS, "fail", "pass", "dkim"),
                new Case("dkim pass on a subdomain d=, relaxed", d -> d.dkimKey("s1", "mail.shop.co.uk"), IP,
                        "x@esp.example", "shop.co.uk", StubDns.sign(message("shop.co.uk"), "s1", "mail.shop.co.uk"),
                        Outcome.PASS, "none", "pass", "dkim"),
                new Case("dkim pass but d= an unrelated domain", d -> d.dkimKey("s1", "esp.example"), IP,
                        "x@esp.example", "shop.example", StubDns.sign(message("shop.example"), "s1", "esp.example"),
                        Outcome.FAIL, "none", "pass", "none"),
                new Case("dkim signature does not verify (body changed)", d -> d.dkimKey("s1", "shop.example"), IP,
                        "orders@shop.example", "shop.example", tampered(), Outcome.FAIL, "none", "fail", "none"),
                new Case("both none", d -> { }, IP, "orders@shop.example", "shop.example", plain("shop.example"),
                        Outcome.FAIL, "none", "none", "none"),
                new Case("spf softfail is no proof", d -> d.txt("shop.example", "v=spf1 ~all"), IP,
                        "orders@shop.example", "shop.example", plain("shop.example"),
                        Outcome.FAIL, "softfail", "none", "none"),
                new Case("spf via include and mx", d -> d.txt("shop.example", "v=spf1 include:_spf.esp.example -all")
                        .txt("_spf.esp.example", "v=spf1 mx -all").add("_spf.esp.example", Dns.Type.MX, "mx.esp.example")
                        .add("mx.esp.example", Dns.Type.A, IP), IP, "orders@shop.example", "shop.example",
                        plain("shop.example"), Outcome.PASS, "pass", "none", "spf"),
                new Case("spf redirect", d -> d.txt("shop.example", "v=spf1 redirect=_spf.shop.example")
                        .txt("_spf.shop.example", "v=spf1 ip4:192.0.2.10 -all"), IP, "orders@shop.example",
                        "shop.example", plain("shop.example"), Outcome.PASS, "pass", "none", "spf"),
                new Case("dns timeout on the SPF record is temporary", d -> d.fail("shop.example"), IP,
                        "orders@shop.example", "shop.example", plain("shop.example"),
                        Outcome.TEMPORARY, "temperror", "none", "none"),
                new Case("dns timeout on the DKIM key is temporary", d -> d.txt("shop.example", "v=spf1 -all")
                        .fail("s1._domainkey.shop.example"), IP, "orders@shop.example", "shop.example",
                        StubDns.sign(message("shop.example"), "s1", "shop.example"),
                        Outcome.TEMPORARY, "fail", "temperror", "none"),
                new Case("dns timeout for an unaligned MAIL FROM, no DKIM: refused", d -> d.fail("esp.example"), IP,
                        "x@esp.example", "shop.example", plain("shop.example"),
                        Outcome.FAIL, "temperror", "none", "none"),
                new Case("null sender: SPF on the HELO name", d -> d.txt("mx.shop.example", "v=spf1 ip4:192.0.2.10 -all"),
                        IP, "", "shop.example", plain("shop.example"), Outcome.PASS, "pass", "none", "spf"),
                new Case("shop.co.uk is not aligned with other.co.uk", d -> d.txt("other.co.uk",
                        "v=spf1 ip4:192.0.2.10 -all"), IP, "x@other.co.uk", "shop.co.uk", plain("shop.co.uk"),
                        Outcome.FAIL, "pass", "none", "none"),
                new Case("ipv6 client", d -> d.txt("shop.example", "v=spf1 ip6:2001:db8::/32 -all"), "2001:db8::25",
                        "orders@shop.example", "shop.example", plain("shop.example"),
                        Outcome.PASS, "pass", "none", "spf"));
    }

    static byte[] tampered() {
        String signed = new String(StubDns.sign(message("shop.example"), "s1", "shop.example"), StandardCharsets.UTF_8);
        return signed.replace("Thanks for your order.", "Pay to IBAN XX00 instead.").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        StubDns dns = new StubDns();
        c.dns().accept(dns);
        SenderProof.Verdict v = new SenderProof(dns).check(c.ip(), "mx.shop.example", c.mailFrom(), c.fromDomain(),
                c.raw());
        assertThat(v.spf()).as("spf, %s", v.summary()).isEqualTo(c.spf());
        assertThat(v.dkim()).as("dkim, %s", v.summary()).isEqualTo(c.dkim());
        assertThat(v.aligned()).as("aligned, %s", v.summary()).isEqualTo(c.aligned());
        assertThat(v.outcome()).as("outcome, %s", v.summary()).isEqualTo(c.outcome());
        assertThat(v.summary()).startsWith("spf=" + c.spf()).contains("aligned=" + c.aligned());
    }
}
