package org.postfach.proof;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.Result;
import org.apache.james.jdkim.exceptions.CompositeFailException;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.apache.james.jspf.impl.SPF;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DMARC-style sender proof (SPEC §7): SPF (jSPF) on the MAIL FROM domain, or the HELO name for the null sender,
 * and DKIM (jDKIM) on the message; the sender is proven when an SPF pass or a valid DKIM signature's {@code d=}
 * shares the {@code From:} domain's organizational domain (relaxed alignment). Only the alignment rule of DMARC
 * is used: the From: domain's published DMARC policy is not consulted, a missing proof is always a refusal.
 */
public final class SenderProof {
    private static final Logger LOG = LoggerFactory.getLogger(SenderProof.class);
    private final Dns dns;

    public SenderProof(Dns dns) {
        this.dns = dns;
    }

    public enum Outcome { PASS, FAIL, TEMPORARY }

    /**
     * What the check found. {@code spf} and {@code dkim} are RFC 8601 result words (pass, fail, softfail, neutral,
     * none, temperror, permerror); {@code aligned} is "spf", "dkim", "spf,dkim" or "none".
     */
    public record Verdict(Outcome outcome, String fromDomain, String spf, String spfDomain, String dkim,
                          List<String> dkimDomains, String aligned) {
        public boolean passed() {
            return outcome == Outcome.PASS;
        }

        /** E.g. {@code spf=pass dkim=none aligned=spf}, with the domains each result is for. */
        public String summary() {
            return "spf=" + spf + (spfDomain.isEmpty() ? "" : " (" + spfDomain + ")")
                    + " dkim=" + dkim + (dkimDomains.isEmpty() ? "" : " (d=" + String.join(",", dkimDomains) + ")")
                    + " aligned=" + aligned + " from=" + fromDomain;
        }
    }

    /**
     * @param clientIp   the connecting client's address
     * @param helo       its EHLO/HELO name
     * @param mailFrom   the envelope sender, empty for the null sender {@code <>}
     * @param fromDomain the domain of the message's {@code From:}
     * @param message    the whole message as received
     */
    public Verdict check(String clientIp, String helo, String mailFrom, String fromDomain, byte[] message) {
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String spfDomain = mailFrom == null || mailFrom.isEmpty() || mailFrom.indexOf('@') < 0
                ? (helo == null ? "" : helo.toLowerCase(Locale.ROOT))
                : mailFrom.substring(mailFrom.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        String spf = spf(clientIp, helo, mailFrom, spfDomain);
        Dkim dkim = dkim(message);

        boolean spfAligned = spf.equals("pass") && OrganizationalDomain.aligned(spfDomain, from);
        boolean dkimAligned = dkim.passed.stream().anyMatch(d -> OrganizationalDomain.aligned(d, from));
        String aligned = spfAligned && dkimAligned ? "spf,dkim" : spfAligned ? "spf" : dkimAligned ? "dkim" : "none";
        Outcome outcome;
        if (spfAligned || dkimAligned) {
            outcome = Outcome.PASS;
        } else if ((spf.equals("temperror") && OrganizationalDomain.aligned(spfDomain, from))
                || dkim.result.equals("temperror")) {
            outcome = Outcome.TEMPORARY; // an answer we could not get might have proven the sender
        } else {
            outcome = Outcome.FAIL;
        }
        List<String> shown = dkim.passed.isEmpty() ? List.of() : dkim.passed;
        return new Verdict(outcome, from, spf, spfDomain, dkim.result, shown, aligned);
    }

    private String spf(String clientIp, String helo, String mailFrom, String spfDomain) {
        if (spfDomain.isEmpty() || clientIp == null || clientIp.isEmpty()) {
            return "none";
        }
        String sender = mailFrom == null || mailFrom.isEmpty() ? "postmaster@" + spfDomain : mailFrom;
        try {
            String result = new SPF(new SpfDns()).checkSPF(clientIp, sender, helo == null ? "" : helo).getResult();
            return result == null || result.isEmpty() ? "none" : result.toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            LOG.warn("SPF check failed for {}: {}", spfDomain, e.toString());
            return "permerror";
        }
    }

    private record Dkim(String result, List<String> passed) {
    }

    private Dkim dkim(byte[] message) {
        DKIMVerifier verifier = new DKIMVerifier((method, selector, token) -> {
            String name = selector + "._domainkey." + token;
            try {
                List<String> records = dns.txt(name);
                if (records.isEmpty()) {
                    throw new PermFailException("no key for signature at " + name);
                }
                return records;
            } catch (Dns.TemporaryFailure e) {
                throw new TempFailException("DNS: " + e.getMessage());
            }
        });
        FailException failure = null;
        try {
            verifier.verify(new ByteArrayInputStream(message));
        } catch (FailException e) {
            failure = e;
        } catch (IOException | RuntimeException e) {
            return new Dkim("permerror", List.of());
        }
        List<String> passed = new ArrayList<>();
        boolean any = false;
        boolean temp = false;
        for (Result r : verifier.getResults()) {
            any = true;
            if (r.isSuccess() && r.getRecord() != null) {
                passed.add(r.getRecord().getDToken().toString().toLowerCase(Locale.ROOT));
            } else if (r.getResultType() == Result.Type.TEMPERROR) {
                temp = true;
            }
        }
        if (failure != null && temporary(failure)) {
            temp = true;
        }
        if (!passed.isEmpty()) {
            return new Dkim("pass", passed);
        }
        if (temp) {
            return new Dkim("temperror", List.of());
        }
        return new Dkim(any || failure != null ? "fail" : "none", List.of());
    }

    private static boolean temporary(FailException e) {
        if (e instanceof TempFailException) {
            return true;
        }
        return e instanceof CompositeFailException c && c.getExceptions().stream().anyMatch(x -> x instanceof TempFailException);
    }

    /** jSPF's view of the {@link Dns} port; a temporary failure becomes jSPF's timeout, hence "temperror". */
    private final class SpfDns implements DNSService {
        private int limit = 10;

        @Override
        public List<String> getRecords(DNSRequest request) throws TimeoutException {
            Dns.Type type = switch (request.getRecordType()) {
                case DNSRequest.A -> Dns.Type.A;
                case DNSRequest.AAAA -> Dns.Type.AAAA;
                case DNSRequest.MX -> Dns.Type.MX;
                case DNSRequest.TXT -> Dns.Type.TXT;
                default -> null; // SPF (type 99) is obsolete (RFC 7208), PTR not supported: no records
            };
            if (type == null) {
                return null;
            }
            try {
                List<String> records = dns.lookup(request.getHostname(), type);
                return records.isEmpty() ? null : new ArrayList<>(records); // null: "no records"; jSPF edits the list
            } catch (Dns.TemporaryFailure e) {
                throw new TimeoutException(e.getMessage());
            }
        }

        @Override
        public java.util.concurrent.CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
            java.util.concurrent.CompletableFuture<List<String>> f = new java.util.concurrent.CompletableFuture<>();
            try {
                f.complete(getRecords(request));
            } catch (TimeoutException e) {
                f.completeExceptionally(e);
            }
            return f;
        }

        @Override
        public List<String> getLocalDomainNames() {
            return List.of();
        }

        @Override
        public void setTimeOut(int timeOut) {
            // the Dns port has its own timeout
        }

        @Override
        public int getRecordLimit() {
            return limit;
        }

        @Override
        public void setRecordLimit(int recordLimit) {
            this.limit = recordLimit;
        }
    }
}
