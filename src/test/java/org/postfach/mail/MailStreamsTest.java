package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MailStreamsTest {
    @Test
    void parsingAMessageNamesAngusStreamProviderSoJakartaMailNeedNotSearchForIt() throws Exception {
        MessageFacts.parse("Subject: x\r\n\r\nText\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(System.getProperty("jakarta.mail.util.StreamProvider"))
                .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
        assertThat(jakarta.mail.util.StreamProvider.provider().getClass().getName())
                .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
    }
}
