package io.blurstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetCatalogTest {

    @Test
    void looksUpNamesIgnoringCase() {
        assertThat(DatasetCatalog.lookup("etth1").name()).isEqualTo("ETTh1");
        assertThat(DatasetCatalog.lookup("ETTM1").fileName()).isEqualTo("ETTm1.csv.xz");
        assertThat(DatasetCatalog.lookup("National_Illness").defaultLookback()).isEqualTo(36);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> DatasetCatalog.lookup("electricity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown dataset 'electricity'; known datasets: ETTh1, ETTh2, ETTm1,"
                                + " exchange_rate, national_illness");
    }

    @Test
    void defaultsFollowTheLiterature() {
        for (Dataset dataset : DatasetCatalog.all()) {
            assertThat(dataset.target()).isEqualTo("OT");
            if (dataset.name().equals("national_illness")) {
                assertThat(dataset.defaultHorizons()).containsExactly(24, 36, 48, 60);
            } else {
                assertThat(dataset.defaultLookback()).isEqualTo(96);
                assertThat(dataset.defaultHorizons()).containsExactly(96, 192, 336, 720);
            }
        }
        assertThat(DatasetCatalog.lookup("ETTh2").stepMillis()).isEqualTo(3_600_000L);
        assertThat(DatasetCatalog.lookup("ETTm1").stepMillis()).isEqualTo(900_000L);
        assertThat(DatasetCatalog.lookup("exchange_rate").stepMillis()).isEqualTo(86_400_000L);
        assertThat(DatasetCatalog.lookup("national_illness").stepMillis()).isEqualTo(604_800_000L);
    }

    /** The borders table of SOURCES.md / data/README.md. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ETTh1, 17420, 8640, 11520, 14400",
        "ETTh2, 17420, 8640, 11520, 14400",
        "ETTm1, 69680, 34560, 46080, 57600",
        "exchange_rate, 7588, 5311, 6071, 7588",
        "national_illness, 966, 676, 773, 966"
    })
    void bordersMatchTheReferenceLoaders(String name, int rows, int b1, int b2, int b3) {
        assertThat(DatasetCatalog.lookup(name).borders(rows))
                .isEqualTo(new SplitBorders(b1, b2, b3));
    }

    @Test
    void fixedBordersNeedALongEnoughSeries() {
        assertThatThrownBy(() -> SplitRule.ETT_HOURLY.borders(14_399))
                .hasMessage(
                        "ETT_HOURLY needs at least 14400 rows (its test split ends there), the"
                                + " series has 14399");
    }

    @Test
    void ratioRuleGivesValidationTheRemainder() {
        // 10 rows: train int(7.0) = 7, test int(2.0) = 2, validation 1.
        assertThat(SplitBorders.ratio70_10_20(10)).isEqualTo(new SplitBorders(7, 8, 10));
        assertThatThrownBy(() -> new SplitBorders(5, 5, 9))
                .hasMessageContaining("0 < trainEnd < validationEnd < testEnd");
    }

    @Test
    void explicitPathWinsAndMustExist(@TempDir Path tmp) {
        assertThat(DatasetCatalog.locateDataDirectory(tmp, key -> null, tmp)).isEqualTo(tmp);
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> DatasetCatalog.locateDataDirectory(missing, key -> null, tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the data directory given")
                .hasMessageContaining("is not an existing directory");
    }

    @Test
    void dataPropertyComesBeforeHomeAndMustExist(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("elsewhere"));
        Path home = Files.createDirectories(tmp.resolve("home/data")).getParent();
        Map<String, String> both =
                Map.of(
                        DatasetCatalog.DATA_PROPERTY,
                        data.toString(),
                        "blurstream.home",
                        home.toString());
        assertThat(DatasetCatalog.locateDataDirectory(null, both::get, tmp)).isEqualTo(data);
        Map<String, String> homeOnly = Map.of(DatasetCatalog.HOME_PROPERTY, home.toString());
        assertThat(DatasetCatalog.locateDataDirectory(null, homeOnly::get, tmp))
                .isEqualTo(home.resolve("data"));
        Map<String, String> wrong =
                Map.of(DatasetCatalog.DATA_PROPERTY, tmp.resolve("x").toString());
        assertThatThrownBy(() -> DatasetCatalog.locateDataDirectory(null, wrong::get, tmp))
                .hasMessageContaining("-Dblurstream.data");
    }

    @Test
    void walksUpToTheFirstDataFolderWithAReadme(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("repo/data"));
        Files.writeString(data.resolve("README.md"), "data");
        // A data folder without README.md on the way up is not the one.
        Files.createDirectories(tmp.resolve("repo/module/data"));
        Path module = tmp.resolve("repo/module");
        assertThat(DatasetCatalog.locateDataDirectory(null, key -> null, module)).isEqualTo(data);
    }

    @Test
    void failureSaysWhatWasTried(@TempDir Path tmp) {
        Map<String, String> home = Map.of(DatasetCatalog.HOME_PROPERTY, tmp.toString());
        assertThatThrownBy(() -> DatasetCatalog.locateDataDirectory(null, home::get, tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dblurstream.data (not set)")
                .hasMessageContaining(tmp.resolve("data") + " from -Dblurstream.home")
                .hasMessageContaining("data/README.md in " + tmp)
                .hasMessageContaining("set -Dblurstream.data=");
    }

    @Test
    void missingFileNamesTheFolder(@TempDir Path tmp) {
        assertThatThrownBy(() -> DatasetCatalog.lookup("ETTh1").read(tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ETTh1.csv.xz does not exist");
        assertThat(DatasetCatalog.names()).hasSize(DatasetCatalog.all().size());
        assertThat(DatasetCatalog.all())
                .extracting(Dataset::name)
                .isEqualTo(List.copyOf(DatasetCatalog.names()));
    }
}
