package org.postfach.delivery;

/** Hands one message to the next hop. One instance per worker thread; not shared. */
public interface Transport extends AutoCloseable {
    void send(String envelopeFrom, String recipient, byte[] message) throws DeliveryException;

    @Override
    void close();
}
