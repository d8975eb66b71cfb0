package io.blurstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tukaani.xz.XZInputStream;

/** The files in {@code data/} are the canonical benchmark files and read as documented. */
class ShippedDataTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ETTh1, f18de3ad269cef59bb07b5438d79bb3042d3be49bdeecf01c1cd6d29695ee066",
        "ETTh2, a3dc2c597b9218c7ce1cd55eb77b283fd459a1d09d753063f944967dd6b9218b",
        "ETTm1, 6ce1759b1a18e3328421d5d75fadcb316c449fcd7cec32820c8dafda71986c9e",
        "exchange_rate, 48b4d9d3d508f5104162e85b9a6042e3557fde11aa9f2944eba8c0d0efc89842",
        "national_illness, 93601f64d2566dc796ca4305adad8b8560c2db1a1ff04543c3bd813a7263570a"
    })
    void uncompressedBytesMatchThePublishedChecksumAndTheReadme(String name, String sha256)
            throws IOException, NoSuchAlgorithmException {
        Path file = DatasetCatalog.lookup(name).file(ShippedData.directory());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".xz") ? new XZInputStream(raw) : raw;
                DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256);
        String readme =
                Files.readString(
                        ShippedData.directory().resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(sha256);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ETTh1, 17420, 7, 2016-07-01 00:00:00",
        "ETTh2, 17420, 7, 2016-07-01 00:00:00",
        "ETTm1, 69680, 7, 2016-07-01 00:00:00",
        "exchange_rate, 7588, 8, 1990/1/1 0:00",
        "national_illness, 966, 7, 2002-01-01 00:00:00"
    })
    void readsWithTheDocumentedShapeAndAStrictlyRegularGrid(
            String name, int rows, int channels, String firstDate) {
        Dataset dataset = DatasetCatalog.lookup(name);
        TimeSeriesTable table = ShippedData.table(name);
        assertThat(table.rows()).isEqualTo(rows);
        assertThat(table.channels()).isEqualTo(channels);
        assertThat(table.dateColumn()).isEqualTo("date");
        assertThat(table.columns().get(channels - 1)).isEqualTo(dataset.target());
        assertThat(table.date(0)).isEqualTo(firstDate);
        long[] millis = table.timestampsMillis();
        for (int r = 1; r < rows; r++) {
            if (millis[r] - millis[r - 1] != dataset.stepMillis()) {
                throw new AssertionError(
                        name + " row " + r + " (" + table.date(r) + ") breaks the grid");
            }
        }
    }

    @Test
    void ettUsesTheDocumentedColumns() {
        assertThat(ShippedData.table("ETTh1").columns())
                .isEqualTo(List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"));
    }
}
