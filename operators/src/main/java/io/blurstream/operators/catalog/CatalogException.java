package io.blurstream.operators.catalog;

/** A source catalog that cannot be used; the message names the file and the offending field. */
public final class CatalogException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
