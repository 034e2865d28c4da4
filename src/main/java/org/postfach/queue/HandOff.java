package org.postfach.queue;

import java.time.Instant;

/**
 * The way from intake to this node's delivery workers. A stored message can be handed over in memory: its queue
 * row is written already leased to this node, and the workers take it with its bytes, without polling, claiming
 * or reading the body back (bench/RESULTS.md). What is not handed over waits in the queue table as before, and a
 * handed-over row that is never delivered (a crash) becomes due again when its lease runs out, or at once when
 * the node starts again ({@link OutboundQueue#recover}).
 */
public interface HandOff {
    /** No hand-over: everything goes through the queue table. */
    HandOff NONE = new HandOff() {
        @Override
        public Ticket reserve(int count, long bytes) {
            return null;
        }

        @Override
        public void queued() {
        }
    };

    /** Room for {@code count} messages of {@code bytes} together, or null when there is none. */
    Ticket reserve(int count, long bytes);

    /** Messages were queued in the queue table only: the workers should look there now. */
    void queued();

    /** Reserved room for the messages of one save. */
    interface Ticket {
        /** The lease owner the queue rows are written with. */
        String owner();

        /** Until when the queue rows are leased. */
        Instant leaseUntil();

        /** Called by the store inside the save's transaction: the entry is handed over on {@link #confirm()}. */
        void add(QueueEntry entry, byte[] content);

        /** The save is committed: the entries go to the workers, unused room is given back. */
        void confirm();

        /** Nothing was stored: the room is given back. */
        void cancel();
    }
}
