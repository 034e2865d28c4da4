package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §4 exemption "important tag": on the decoded subject, any case, brackets required. */
class ImportantTagTest {
    private final ImportantTagExemption exemption =
            new ImportantTagExemption(new ImportantTags(List.of("[Wichtig]", "[Important]")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [Wichtig] Ihre Bestellung                                         | true
            Ihre Bestellung [Wichtig] bitte lesen                             | true
            Ihre Bestellung [wichtig]                                         | true
            [WICHTIG] Rückfrage                                               | true
            [Important] your order                                            | true
            Re: AW: [important] your order                                    | true
            =?UTF-8?Q?=5BWichtig=5D_R=C3=BCckfrage?=                          | true
            =?utf-8?q?=5Bwichtig=5D?=                                         | true
            =?UTF-8?B?W1dpY2h0aWddIFLDvGNrZnJhZ2U=?=                          | true
            =?ISO-8859-1?Q?R=FCckfrage_=5BWichtig=5D?=                        | true
            =?ISO-8859-1?B?W1dpY2h0aWddIFL8Y2tmcmFnZQ==?=                     | true
            =?UTF-8?Q?=5BWich?= =?UTF-8?Q?tig=5D_Lieferung?=                  | true
            =?UTF-8?B?W1dp?= =?UTF-8?B?Y2h0?= =?UTF-8?B?aWdd?=                | true
            Bestellung =?UTF-8?Q?R=C3=BC?=\\r\\n =?UTF-8?Q?ckfrage_[Wichtig]?=   | true
            Ihre Bestellung\\r\\n [Wichtig]                                     | true
            Wichtig: Ihre Bestellung                                          | false
            Wichtig                                                           | false
            [ Wichtig ] Ihre Bestellung                                       | false
            (Wichtig) Ihre Bestellung                                         | false
            [Wichtigkeit] Ihre Bestellung                                     | false
            =?UTF-8?Q?Wichtig_Lieferung?=                                     | false
            [Important Lieferung                                              | false
            Ihre Bestellung                                                   | false
            Additional information required                                   | true
            =?UTF-8?B?enVzw6R0emxpY2hlIGluZm9ybWF0aW9uZW4gRVJGT1JERVJMSUNI?=    | true
            Re: AW: Additional information required                           | true
            =?UTF-8?Q?Zus=C3=A4tzliche_Informationen_erforderlich?=            | true
            Additional information required: our new catalogue                | false
            Sale! Additional information required                             | false
            """)
    void decodedSubjectCarriesTheTag(String rawSubject, boolean exempt) {
        String raw = rawSubject.replace("\\r\\n", "\r\n");
        assertThat(exemption.holds(Fixtures.candidate(Fixtures.sellerToBuyer(), Fixtures.subject(raw))))
                .as(raw).isEqualTo(exempt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            =?UTF-8?B?W1dpY2h0aWddIMOc?= =?UTF-8?B?YmVy?=   | [Wichtig] Über
            =?UTF-8?B?W1dpY2h0aWddIMM=?= =?UTF-8?B?nGJlcg==?= | [Wichtig] Über
            =?ISO-8859-1?Q?=DCber?= =?UTF-8?Q?_=C3=BCber?=      | Über über
            plain =?bogus-charset?Q?x?= text                 | plain =?bogus-charset?Q?x?= text
            """)
    void encodedWordsAreJoinedAndSplitCharactersSurvive(String raw, String decoded) {
        assertThat(Fixtures.subject(raw).subject()).isEqualTo(decoded);
    }
}
