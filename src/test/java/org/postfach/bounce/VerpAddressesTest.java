package org.postfach.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Bounce addresses (SPEC §3.4): the signature is the first eight bytes of HMAC-SHA256 over the token, in hex, so
 * that addresses handed out by an earlier build still verify (the expected value was computed with Python's hmac).
 */
class VerpAddressesTest {
    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }

    final VerpAddresses verp = new VerpAddresses(KEY, "marketplace.example");

    @Test
    void theSignatureIsTheHmacOfTheToken() {
        assertThat(verp.address("m00000042abcd")).isEqualTo("bounce+m00000042abcd.62ebf79aa74ba477@marketplace.example");
    }

    @Test
    void aSignedAddressVerifiesAndAChangedOneDoesNot() {
        assertThat(verp.token("bounce+m00000042abcd.62ebf79aa74ba477")).contains("m00000042abcd");
        assertThat(verp.token("BOUNCE+M00000042ABCD.62EBF79AA74BA477")).as("any case").contains("m00000042abcd");
        assertThat(verp.token("bounce+m00000042abce.62ebf79aa74ba477")).isEmpty();
        assertThat(verp.token("bounce+m00000042abcd.62ebf79aa74ba478")).isEmpty();
        assertThat(new VerpAddresses(new byte[32], "marketplace.example").token("bounce+m00000042abcd.62ebf79aa74ba477"))
                .as("another key").isEmpty();
    }

    @Test
    void concurrentSignersAgree() throws Exception {
        java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    for (int k = 0; k < 200; k++) {
                        String token = "m0000" + Long.toString(k * 7919L + 100_000_000L, 36);
                        if (verp.token(verp.address(token).split("@")[0]).isEmpty()) {
                            return false;
                        }
                    }
                    return verp.address("m00000042abcd").contains(".62ebf79aa74ba477@");
                }));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
