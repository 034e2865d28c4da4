package org.postfach.smtp;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * CHUNKING is not offered. A client that sends BDAT anyway is answered and disconnected: the chunk bytes that
 * follow must never be read as commands (SPEC §7).
 */
final class BdatCommand extends BaseCommand {
    BdatCommand() {
        super("BDAT", "Not supported: use DATA.");
    }

    @Override
    public void execute(String commandString, Session sess) throws DropConnectionException {
        throw new DropConnectionException(502, "5.5.1 BDAT is not supported here, use DATA; closing connection");
    }
}
