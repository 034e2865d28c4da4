package org.postfach.proof;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/** {@link Dns} over dnsjava: the configured {@code dns.servers} (host:port), or the system's resolvers. */
public final class DnsjavaDns implements Dns {
    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    public DnsjavaDns(List<String> servers, Duration timeout) {
        if (servers.isEmpty()) {
            this.resolver = new ExtendedResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            for (String server : servers) {
                int colon = server.lastIndexOf(':');
                try {
                    SimpleResolver r = new SimpleResolver(server.substring(0, colon));
                    r.setPort(Integer.parseInt(server.substring(colon + 1)));
                    each.add(r);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("dns.servers: unknown host in " + server, e);
                }
            }
            this.resolver = new ExtendedResolver(each);
        }
        resolver.setTimeout(timeout);
    }

    @Override
    public List<String> lookup(String name, Type type) throws TemporaryFailure {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), code(type));
        } catch (TextParseException e) {
            return List.of(); // not a valid name: it has no records
        }
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                break;
            case Lookup.HOST_NOT_FOUND:
            case Lookup.TYPE_NOT_FOUND:
                return List.of();
            default:
                throw new TemporaryFailure(type + " " + name + ": " + lookup.getErrorString());
        }
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress().getHostAddress());
            } else if (r instanceof AAAARecord a) {
                out.add(a.getAddress().getHostAddress());
            } else if (r instanceof MXRecord mx) {
                String target = mx.getTarget().toString();
                out.add(target.endsWith(".") ? target.substring(0, target.length() - 1) : target);
            } else if (r instanceof TXTRecord txt) {
                out.add(String.join("", txt.getStrings()));
            }
        }
        return out;
    }

    private static int code(Type type) {
        return switch (type) {
            case A -> org.xbill.DNS.Type.A;
            case AAAA -> org.xbill.DNS.Type.AAAA;
            case MX -> org.xbill.DNS.Type.MX;
            case TXT -> org.xbill.DNS.Type.TXT;
        };
    }
}
