package io.blurstream.model.io;

/**
 * A model file that cannot be accepted: not JSON, the wrong format or version, a checksum that does
 * not match, or a field that is missing, of the wrong type or inconsistent with the configuration.
 *
 * <p>Checked on purpose: a model update arriving at a running job is untrusted input, and the
 * compiler should make every caller decide what to do with a bad one (typically: count it, log it
 * once and keep serving the current model) instead of letting it fail the job.
 *
 * <p>The message always starts with the path of the offending field, {@code field(): problem}, for
 * example {@code tensors.encoder.weight.shape: expected [7, 64] ...}. Paths join object keys with
 * dots and array indices in brackets ({@code scaler.std[3]}); tensor names, which contain dots
 * themselves, appear verbatim after {@code tensors.}. Problems with the document as a whole use the
 * path {@value #DOCUMENT}.
 */
public final class ModelFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The path used for problems that concern the whole document (not JSON, empty, ...). */
    public static final String DOCUMENT = "document";

    private final String field;
    private final String problem;

    public ModelFormatException(String field, String problem) {
        this(field, problem, null);
    }

    public ModelFormatException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
        this.problem = problem;
    }

    /** Path of the offending field, for example {@code config.window} or {@code sha256}. */
    public String field() {
        return field;
    }

    /** What is wrong with the field: the message without the leading path. */
    public String problem() {
        return problem;
    }
}
