package io.blurstream.model.grad;

/** Out-of-place transposition of row-major matrices, blocked so both sides stay in cache. */
final class Transpose {

    private static final int BLOCK = 32;

    private Transpose() {}

    /** {@code dst[c·rows + r] = src[srcOff + r·cols + c]}: a {@code rows × cols} matrix turned. */
    static void apply(float[] src, int srcOff, int rows, int cols, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int c1 = Math.min(cols, c0 + BLOCK);
                for (int r = r0; r < r1; r++) {
                    int row = srcOff + r * cols;
                    for (int c = c0; c < c1; c++) {
                        dst[c * rows + r] = src[row + c];
                    }
                }
            }
        }
    }
}
