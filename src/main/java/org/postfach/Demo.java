package org.postfach;

import java.io.PrintStream;
import java.time.Instant;
import org.postfach.directory.Directory;
import org.postfach.directory.DirectoryException;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;

/** {@code serve --demo}: a sample seller, buyer and order, and a ready-to-paste swaks command (SPEC §9). */
final class Demo {
    private Demo() {
    }

    /**
     * The demo's settings. Its seller's domain publishes no SPF and no DKIM key, so the inbound sender proof (SPEC
     * §7) would refuse the printed swaks mail: while the inbound port listens on loopback only, the demo runs
     * without the proof unless the file or the environment sets {@code smtp.inbound.verifySenders}.
     */
    static org.postfach.config.Settings settings(Postfach.ConfigOption config)
            throws org.postfach.config.ConfigException {
        org.postfach.config.Settings settings = config.load();
        if (!loopback(settings.smtp().inboundHost())) {
            return settings;
        }
        return config.load(java.util.Map.of("smtp.inbound.verifySenders", "false"));
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static void run(Relay relay, PrintStream out) {
        Directory d = relay.directory();
        Seller seller;
        try {
            seller = d.seller("demo-seller");
        } catch (DirectoryException e) {
            seller = d.registerSeller("demo-seller", "Demo Shop", Address.of("seller@demo-shop.example"),
                    Address.of("support@demo-shop.example"));
        }
        try {
            d.buyer("demo-buyer");
        } catch (DirectoryException e) {
            d.registerBuyer("demo-buyer", "Erika Musterfrau", Address.of("erika@buyer.example"));
        }
        String buyerAlias;
        try {
            buyerAlias = d.registerOrder("302-0000001-0000001", "demo-seller", "demo-buyer", "general", Instant.now());
        } catch (DirectoryException e) {
            buyerAlias = d.buyerAlias("demo-seller", "demo-buyer");
        }
        String host = relay.settings().smtp().inboundHost();
        out.println();
        out.println("Demo data:");
        out.println("  seller  demo-seller  seller@demo-shop.example  alias " + seller.alias());
        out.println("  buyer   demo-buyer   erika@buyer.example       alias at demo-seller " + buyerAlias);
        out.println("  order   302-0000001-0000001");
        out.println("  API token: " + relay.apiToken());
        out.println("Send a test mail from the seller to the buyer's alias:");
        out.println("  swaks --server " + host + ":" + relay.smtpPort() + " --from seller@demo-shop.example --to "
                + buyerAlias + " --header 'Subject: Your order 302-0000001-0000001' --body 'Hello, your parcel is on its way.'");
        if (!relay.settings().smtp().inboundVerifySenders()) {
            out.println("(The inbound sender proof is off for this loopback demo: demo-shop.example publishes no SPF"
                    + " and no DKIM key. A relay for real sellers keeps smtp.inbound.verifySenders=true.)");
        }
        out.println("Open the seller console as the demo seller (a single-use link, valid 10 minutes; `web.publicUrl`"
                + " must be where the API listens):");
        out.println("  " + relay.console().newLink("demo-seller").url());
        if (relay.settings().delivery().mode() == org.postfach.config.Settings.DeliveryMode.FILE) {
            out.println("The delivered message appears in " + relay.settings().delivery().outbox().toAbsolutePath());
        }
        out.println();
        out.flush();
    }
}
