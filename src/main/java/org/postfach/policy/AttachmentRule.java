package org.postfach.policy;

import java.util.List;
import java.util.Optional;
import org.postfach.mail.Attachment;
import org.postfach.mail.Replies;

/**
 * SPEC §4 attachments: only txt, pdf, doc, docx, jpg/jpeg, gif, tif/tiff, bmp and png, judged by content as
 * well as by name, inside attached messages too. Anything else refuses the whole message with {@code 550 5.7.1}
 * naming the allowed types, on every route.
 */
public final class AttachmentRule implements ContentRule {
    @Override
    public String name() {
        return "attachments";
    }

    @Override
    public Verdict check(Candidate c, List<PolicyEvent> events) {
        if (!c.structureProblems().isEmpty()) {
            return new Verdict.Reject(name(), Replies.attachmentRefused(c.structureProblems().get(0)));
        }
        for (Attachment a : c.attachments()) {
            Optional<String> refusal = AttachmentTypes.refusal(a);
            if (refusal.isPresent()) {
                return new Verdict.Reject(name(), Replies.attachmentRefused(refusal.get()));
            }
        }
        return Verdict.CONTINUE;
    }
}
