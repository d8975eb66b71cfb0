package io.blurstream.model.update;

/**
 * A message of the model topic that cannot be read: not the update format, a field missing or of
 * the wrong type, a chunk that does not fit its upload. Checked for the same reason as {@link
 * io.blurstream.model.io.ModelFormatException}: it is untrusted input, and every caller must decide
 * what a bad one means (count, log, keep serving).
 */
public final class UpdateFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public UpdateFormatException(String message) {
        super(message);
    }

    public UpdateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
