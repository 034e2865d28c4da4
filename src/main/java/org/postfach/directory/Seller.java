package org.postfach.directory;

import org.postfach.mail.Address;

/** A registered seller with its one stable seller alias (SPEC §2). */
public record Seller(String id, String name, Address email, Address customerServiceEmail, String alias,
                     boolean bounceNotices, boolean disabled) {
}
