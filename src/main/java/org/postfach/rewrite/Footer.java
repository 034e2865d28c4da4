package org.postfach.rewrite;

/**
 * What is added at the end of a message's text (first text/plain part) and HTML (first text/html part), after
 * contact details were removed: the in-mail actions of a buyer message delivered to a seller (SPEC §10). ASCII only,
 * so it reads the same in any charset a part declares.
 */
public record Footer(String text, String html) {
    /** The first link's label, with which the footer's text begins after its separator (in text and HTML alike). */
    public static final String FIRST_LABEL = "Keine Antwort erforderlich / No response needed";
    /** How the footer's HTML block begins. */
    public static final String HTML_START =
            "<div style=\"margin-top:1em;border-top:1px solid #ccc;padding-top:.5em;font-size:small\">";

    /** SPEC §10: "No response needed" and "Report this message", in German and English, as links. */
    public static Footer actions(String noResponseNeededUrl, String reportUrl) {
        String text = "-- \r\n"
                + FIRST_LABEL + ":\r\n" + noResponseNeededUrl + "\r\n"
                + "Nachricht melden / Report this message:\r\n" + reportUrl + "\r\n";
        String html = HTML_START
                + "<a href=\"" + attribute(noResponseNeededUrl) + "\">" + FIRST_LABEL + "</a>"
                + " &middot; <a href=\"" + attribute(reportUrl) + "\">Nachricht melden / Report this message</a></div>";
        return new Footer(text, html);
    }

    private static String attribute(String url) {
        return url.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The text with the footer after it, on a line of its own. */
    String afterText(String body) {
        boolean endsWithBreak = body.isEmpty() || body.endsWith("\n");
        return body + (endsWithBreak ? "" : "\r\n") + "\r\n" + text;
    }

    /** The HTML with the footer inside its body, before {@code </body>} (or {@code </html>}), else at its end. */
    String inHtml(String body) {
        int at = lastIndexOfIgnoreCase(body, "</body");
        if (at < 0) {
            at = lastIndexOfIgnoreCase(body, "</html");
        }
        return at < 0 ? body + html : body.substring(0, at) + html + body.substring(at);
    }

    private static int lastIndexOfIgnoreCase(String s, String what) {
        for (int i = s.length() - what.length(); i >= 0; i--) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }
}
