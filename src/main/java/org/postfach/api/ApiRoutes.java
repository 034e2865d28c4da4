package org.postfach.api;

import org.postfach.archive.Archive;
import org.postfach.directory.Directory;

/** The route table, in the order of SPEC §9. */
public final class ApiRoutes {
    private final SellersResource sellers;
    private final BuyersResource buyers;
    private final OrdersResource orders;
    private final HealthResource health;
    private final MessagesResource messages;
    private final Archive archive;

    private final java.util.function.Supplier<String> metrics;

    private final org.postfach.directory.ConsoleAccess console;

    public ApiRoutes(Directory directory, Archive archive, HealthResource health,
                     java.util.function.Supplier<String> metrics, org.postfach.directory.ConsoleAccess console) {
        this.console = console;
        this.metrics = metrics;
        this.archive = archive;
        this.messages = new MessagesResource(archive);
        this.sellers = new SellersResource(directory);
        this.buyers = new BuyersResource(directory);
        this.orders = new OrdersResource(directory);
        this.health = health;
    }

    Router table() {
        return new Router()
                .add("POST", "/api/sellers", sellers::create)
                .add("GET", "/api/sellers/{id}", sellers::get)
                .add("PATCH", "/api/sellers/{id}", sellers::patch)
                .add("POST", "/api/sellers/{id}/addresses", sellers::addAddress)
                .add("DELETE", "/api/sellers/{id}/addresses/{email}", sellers::removeAddress)
                .add("POST", "/api/sellers/{id}/credentials", sellers::credentials)
                .add("POST", "/api/sellers/{id}/console-link", r -> sellers.consoleLink(r, console))
                .add("GET", "/api/sellers/{id}/stats", r -> sellers.stats(r, archive))
                .add("POST", "/api/buyers", buyers::create)
                .add("GET", "/api/buyers/{id}", buyers::get)
                .add("PATCH", "/api/buyers/{id}", buyers::patch)
                .add("POST", "/api/orders", orders::create)
                .add("GET", "/api/aliases/{alias}", orders::alias)
                .add("GET", "/api/messages", messages::search)
                .add("GET", "/api/messages/{id}", messages::get)
                .add("PATCH", "/api/messages/{id}", messages::patch)
                .add("GET", "/api/messages/{id}/raw", messages::raw)
                .add("GET", "/api/reports", messages::reports)
                .add("POST", "/api/messages/{id}/no-response-needed", messages::noResponseNeeded)
                .add("POST", "/api/messages/{id}/report", messages::report)
                .open("GET", "/health", health::get)
                .open("GET", "/metrics", r -> Reply.raw(metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "text/plain; version=0.0.4; charset=utf-8"));
    }
}
