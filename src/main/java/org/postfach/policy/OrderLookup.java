package org.postfach.policy;

import java.util.List;
import org.postfach.directory.Order;

/** Port: the orders of one buyer at one seller. */
public interface OrderLookup {
    List<Order> orders(String sellerId, String buyerId);
}
