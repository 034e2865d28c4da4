package org.postfach.proof;

import java.util.Locale;
import java.util.Set;

/**
 * The organizational domain of a host name, as DMARC relaxed alignment compares them (RFC 7489 §3.2).
 * Simplification: instead of the full Public Suffix List, a short embedded list of common multi-label public
 * suffixes (co.uk, com.au, co.jp, ...); any other name's organizational domain is its last two labels. A
 * seller under an unlisted multi-label suffix (e.g. a private registry like {@code *.github.io}) is therefore
 * aligned with its siblings under that suffix; that only ever widens alignment within one suffix.
 */
public final class OrganizationalDomain {
    static final Set<String> MULTI_LABEL_SUFFIXES = Set.of(
            "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "ac.uk", "gov.uk", "net.uk", "sch.uk",
            "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
            "co.nz", "org.nz", "net.nz", "ac.nz", "govt.nz",
            "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "gr.jp",
            "co.kr", "or.kr", "ne.kr",
            "com.br", "net.br", "org.br", "gov.br",
            "com.cn", "net.cn", "org.cn", "gov.cn",
            "com.tw", "com.hk", "com.sg", "com.my", "com.mx", "com.ar", "com.tr", "com.pl", "com.ua",
            "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in",
            "co.za", "org.za", "co.il", "org.il", "co.at", "or.at", "ac.at", "co.id", "co.th", "in.th");

    private OrganizationalDomain() {
    }

    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String[] labels = d.split("\\.");
        if (labels.length <= 2) {
            return d;
        }
        String lastTwo = labels[labels.length - 2] + "." + labels[labels.length - 1];
        int keep = MULTI_LABEL_SUFFIXES.contains(lastTwo) ? 3 : 2;
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - keep, labels.length));
    }

    /** DMARC relaxed alignment: the two names share an organizational domain. */
    public static boolean aligned(String a, String b) {
        return a != null && b != null && !a.isEmpty() && !b.isEmpty() && of(a).equals(of(b));
    }
}
