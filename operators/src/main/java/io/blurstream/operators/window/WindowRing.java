package io.blurstream.operators.window;

import java.util.Arrays;

/**
 * The last {@code W} fused rows of one group as a ring buffer, with what window assembly needs to
 * fill and judge them. A Flink POJO kept in one {@code ValueState}: a window is read whole on every
 * emission, so one value beats a list state that would be read element by element.
 */
public class WindowRing {

    /** Marks "no row yet" in {@link #lastTickMillis}. */
    public static final long NONE = Long.MIN_VALUE;

    /** A cell whose row observed it. */
    public static final byte CELL_OBSERVED = 0;

    /** A cell imputed by alignment or carried forward here. */
    public static final byte CELL_IMPUTED = 1;

    /** A cell with no value (NaN): its channel had no value yet when the row came in. */
    public static final byte CELL_EMPTY = 2;

    /** {@code W × C} values, row {@code r} at {@code r * C}; slot order is ring order. */
    public float[] values;

    /** One of the {@code CELL_*} codes per value. */
    public byte[] cells;

    /** Ring slot the next row is written to. */
    public int head;

    /** Rows held, at most {@code W}. */
    public int size;

    /** Tick of the newest row, or {@link #NONE}. */
    public long lastTickMillis = NONE;

    /** Cells currently {@link #CELL_EMPTY}; a window is complete when this is 0. */
    public int emptyCells;

    /** Consecutive all-missing rows received, ending with the newest. */
    public int allMissingRun;

    /** Per channel, the newest value seen since the last reset (NaN = none yet). */
    public float[] lastValues;

    public WindowRing() {}

    /** An empty ring of {@code rows × channels}. */
    public static WindowRing create(int rows, int channels) {
        WindowRing r = new WindowRing();
        r.values = new float[rows * channels];
        r.cells = new byte[rows * channels];
        r.lastValues = new float[channels];
        r.clear();
        return r;
    }

    /** Forgets every row and every carried value. */
    public void clear() {
        Arrays.fill(values, Float.NaN);
        Arrays.fill(cells, CELL_EMPTY);
        Arrays.fill(lastValues, Float.NaN);
        head = 0;
        size = 0;
        lastTickMillis = NONE;
        emptyCells = 0;
        allMissingRun = 0;
    }
}
