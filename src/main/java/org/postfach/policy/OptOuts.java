package org.postfach.policy;

import org.postfach.directory.Buyer;
import org.postfach.directory.Seller;

/** Port: has this buyer opted out of this seller's messages (of all sellers, or of this one, SPEC §4, §10)? */
public interface OptOuts {
    boolean optedOut(Buyer buyer, Seller seller);
}
