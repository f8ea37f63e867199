package io.refreshorchestrator.cdc;

import java.util.List;

/** Change capture cannot start or continue; the message says what to fix. */
public class CdcException extends RuntimeException {

    public CdcException(String message) {
        super(message);
    }

    public CdcException(String message, Throwable cause) {
        super(message, cause);
    }

    /** One exception listing several problems found together. */
    public static CdcException of(String summary, List<String> problems) {
        var text = new StringBuilder(summary);
        problems.forEach(
                problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return new CdcException(text.toString());
    }
}
