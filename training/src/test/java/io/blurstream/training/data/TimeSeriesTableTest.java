package io.blurstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TimeSeriesTableTest {

    private static final String LF =
            "date,a,b\n"
                    + "2016-07-01 00:00:00,1.5,-2\n"
                    + "2016-07-01 01:00:00,2.5,3e2\n"
                    + "2016-07-01 02:00:00,0,4\n";

    private static TimeSeriesTable parse(String text) throws IOException {
        return TimeSeriesTable.parse(new StringReader(text), "test.csv");
    }

    @Test
    void readsHeaderValuesAndTimestamps() throws IOException {
        TimeSeriesTable table = parse(LF);
        assertThat(table.dateColumn()).isEqualTo("date");
        assertThat(table.columns()).containsExactly("a", "b");
        assertThat(table.rows()).isEqualTo(3);
        assertThat(table.values()).containsExactly(1.5, -2, 2.5, 300, 0, 4);
        assertThat(table.value(1, 1)).isEqualTo(300.0);
        assertThat(table.date(2)).isEqualTo("2016-07-01 02:00:00");
        // 2016-07-01T00:00Z is 1467331200 s after the epoch.
        assertThat(table.timestampsMillis())
                .containsExactly(1_467_331_200_000L, 1_467_334_800_000L, 1_467_338_400_000L);
        assertThat(table.columnIndex("b")).isEqualTo(1);
    }

    @Test
    void aSliceHoldsItsRowsOnly() throws IOException {
        TimeSeriesTable slice = parse(LF).slice(1, 3);
        assertThat(slice.rows()).isEqualTo(2);
        assertThat(slice.columns()).containsExactly("a", "b");
        assertThat(slice.values()).containsExactly(2.5, 300, 0, 4);
        assertThat(slice.date(0)).isEqualTo("2016-07-01 01:00:00");
        assertThat(slice.timestampsMillis())
                .containsExactly(1_467_334_800_000L, 1_467_338_400_000L);
        assertThatThrownBy(() -> parse(LF).slice(2, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse(LF).slice(0, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crlfAndAMissingFinalLineEndReadTheSame() throws IOException {
        String crlfText = LF.replace("\n", "\r\n");
        TimeSeriesTable lf = parse(LF);
        TimeSeriesTable crlf = parse(crlfText);
        TimeSeriesTable unterminated = parse(LF.substring(0, LF.length() - 1));
        TimeSeriesTable crlfUnterminated = parse(crlfText.substring(0, crlfText.length() - 2));
        for (TimeSeriesTable other : new TimeSeriesTable[] {crlf, unterminated, crlfUnterminated}) {
            assertThat(other.columns()).isEqualTo(lf.columns());
            assertThat(other.values()).isEqualTo(lf.values());
            assertThat(other.timestampsMillis()).isEqualTo(lf.timestampsMillis());
        }
    }

    @Test
    void readsTheSlashedDateFormatOfExchangeRate() throws IOException {
        TimeSeriesTable table =
                parse("date,0,OT\r\n1990/1/1 0:00,0.7855,1\r\n1990/12/31 13:05,1,2");
        assertThat(table.timestampMillis(0)).isEqualTo(631_152_000_000L);
        assertThat(table.timestampMillis(1))
                .isEqualTo(631_152_000_000L + (364L * 24 * 60 + 13 * 60 + 5) * 60_000L);
        assertThat(table.date(1)).isEqualTo("1990/12/31 13:05");
    }

    @Test
    void ignoresAByteOrderMarkAndTrailingBlankLines() throws IOException {
        TimeSeriesTable table = parse("\uFEFF" + LF + "\n\n");
        assertThat(table.dateColumn()).isEqualTo("date");
        assertThat(table.rows()).isEqualTo(3);
    }

    @Test
    void errorsNameTheFileLineAndColumn() {
        assertThatThrownBy(() -> parse("date,a,b\n2016-07-01 00:00:00,1,x\n"))
                .isInstanceOf(TableFormatException.class)
                .hasMessage("test.csv line 2, column 3 (b): not a number: 'x'")
                .satisfies(
                        e -> {
                            TableFormatException t = (TableFormatException) e;
                            assertThat(t.line()).isEqualTo(2);
                            assertThat(t.column()).isEqualTo(3);
                            assertThat(t.source()).isEqualTo("test.csv");
                        });
        assertThatThrownBy(() -> parse(LF + "2016-07-01 03:00:00,,1\n"))
                .hasMessageStartingWith("test.csv line 5, column 2 (a): empty value");
        assertThatThrownBy(() -> parse(LF + "2016-07-01 03:00:00,NaN,1\n"))
                .hasMessageStartingWith("test.csv line 5, column 2 (a): not a finite number");
        assertThatThrownBy(() -> parse(LF + "2016-07-01 03:00:00,1\n"))
                .hasMessage("test.csv line 5: 2 cells, expected 3 as in the header");
        assertThatThrownBy(() -> parse(LF + "2016-07-01 03:00:00,1,2,3\n"))
                .hasMessage("test.csv line 5: more than the 3 cells of the header");
    }

    @Test
    void rejectsUnknownAndInvalidTimestamps() {
        assertThatThrownBy(() -> parse("date,a\n01.07.2016 00:00,1\n"))
                .hasMessageStartingWith(
                        "test.csv line 2, column 1 (date): unsupported timestamp '01.07.2016"
                                + " 00:00'; expected yyyy-MM-dd HH:mm:ss or yyyy/M/d H:mm");
        assertThatThrownBy(() -> parse("date,a\n2016-02-30 00:00:00,1\n"))
                .hasMessageStartingWith(
                        "test.csv line 2, column 1 (date): invalid timestamp '2016-02-30");
    }

    @Test
    void rejectsMalformedHeadersAndEmptyFiles() {
        assertThatThrownBy(() -> parse(""))
                .hasMessageStartingWith("test.csv line 1: expected a header line");
        assertThatThrownBy(() -> parse("date\n2016-07-01 00:00:00\n"))
                .hasMessageStartingWith("test.csv line 1: the header has one column");
        assertThatThrownBy(() -> parse("date,a,a\n"))
                .hasMessage("test.csv line 1, column 3 (a): column name appears twice");
        assertThatThrownBy(() -> parse("date,a\n"))
                .hasMessage("test.csv: no data rows after the header");
        assertThatThrownBy(() -> parse("date,a\n2016-07-01 00:00:00,1\n\n2016-07-01 01:00:00,2\n"))
                .hasMessage("test.csv line 3: empty line between data rows");
    }

    @Test
    void unknownColumnListsTheColumns() throws IOException {
        TimeSeriesTable table = parse(LF);
        assertThatThrownBy(() -> table.columnIndex("OT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test.csv has no column 'OT'; its columns are [a, b]");
    }

    @Test
    void readsPlainAndXzFilesAlike(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("series.csv");
        Files.writeString(plain, LF);
        Path xz = dir.resolve("series.csv.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options())) {
            out.write(LF.getBytes(StandardCharsets.UTF_8));
        }
        TimeSeriesTable fromPlain = TimeSeriesTable.read(plain);
        TimeSeriesTable fromXz = TimeSeriesTable.read(xz);
        assertThat(fromXz.values()).isEqualTo(fromPlain.values());
        assertThat(fromXz.timestampsMillis()).isEqualTo(fromPlain.timestampsMillis());
        assertThat(fromXz.source()).isEqualTo(xz.toString());

        Files.writeString(plain, "date,a\n2016-07-01 00:00:00,oops\n");
        assertThatThrownBy(() -> TimeSeriesTable.read(plain))
                .hasMessage(plain + " line 2, column 2 (a): not a number: 'oops'");
    }
}
