package io.blurstream.operators.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.model.BlurConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceCatalogTest {

    private static final String VALID =
            """
            version: 1
            groups:
              g:
                step: 15m
                channels: [a, {name: b, fill: mean, maxStaleness: 1h}]
            sensors:
              s.a: {group: g, channel: a}
              s.b: {group: g, channel: b}
            """;

    @Test
    void shippedEtth1CatalogMatchesTheDataSetColumns() throws Exception {
        SourceCatalog catalog = SourceCatalog.fromResource("catalogs/etth1.yaml");
        GroupSpec group = catalog.group("transformer-1");
        assertThat(group.stepMillis()).isEqualTo(3_600_000L);
        assertThat(group.channelNames())
                .containsExactly("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
        assertThat(group.channel(6).fill()).isEqualTo(FillPolicy.LINEAR);
        assertThat(group.channel(0).fill()).isEqualTo(FillPolicy.LAST);
        assertThat(group.channel(0).maxStalenessMillis()).isEqualTo(3 * 3_600_000L);
        assertThat(catalog.sensor("etth1.OT"))
                .isEqualTo(new SensorBinding("etth1.OT", "transformer-1", 6));
        assertThat(catalog.sensors()).hasSize(7);
        // The models in models/ are trained on exactly these channels at this step.
        group.checkServedBy(
                BlurConfig.builder()
                        .channels(group.channelNames())
                        .gridStepMillis(3_600_000L)
                        .build());
    }

    @Test
    void aLocationIsAFileOrAClassPathResource(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SourceCatalog bundled = SourceCatalog.locate("classpath:catalogs/etth1.yaml");
        java.nio.file.Path file = dir.resolve("copy.yaml");
        try (var in = getClass().getClassLoader().getResourceAsStream("catalogs/etth1.yaml")) {
            java.nio.file.Files.copy(in, file);
        }
        SourceCatalog copy = SourceCatalog.locate(file.toString());
        assertThat(copy.groups()).isEqualTo(bundled.groups());
        assertThat(copy.sensors()).isEqualTo(bundled.sensors());
    }

    @Test
    void defaultsApplyWhereFieldsAreOmitted() {
        SourceCatalog catalog = SourceCatalog.parse(VALID, "inline.yaml");
        GroupSpec g = catalog.group("g");
        assertThat(g.allowedLatenessMillis()).isZero();
        assertThat(g.maxGapTicks()).isEqualTo(SourceCatalog.DEFAULT_MAX_GAP_TICKS);
        assertThat(g.channel(0))
                .isEqualTo(new ChannelSpec("a", FillPolicy.LAST, 24 * 15 * 60_000L));
        assertThat(g.channel(1)).isEqualTo(new ChannelSpec("b", FillPolicy.MEAN, 3_600_000L));
        assertThat(catalog.sensor("nope")).isNull();
        assertThat(catalog.maxChannelCount()).isEqualTo(2);
    }

    @Test
    void durationsAcceptUnitsAndPlainMilliseconds() {
        assertThat(SourceCatalog.parseDurationMillis("250ms")).isEqualTo(250);
        assertThat(SourceCatalog.parseDurationMillis("30s")).isEqualTo(30_000);
        assertThat(SourceCatalog.parseDurationMillis("15m")).isEqualTo(900_000);
        assertThat(SourceCatalog.parseDurationMillis("1h")).isEqualTo(3_600_000);
        assertThat(SourceCatalog.parseDurationMillis("2d")).isEqualTo(172_800_000);
        assertThat(SourceCatalog.parseDurationMillis("1200")).isEqualTo(1200);
        assertThat(SourceCatalog.parseDurationMillis("1.5h")).isEqualTo(-1);
        assertThat(SourceCatalog.parseDurationMillis("-1h")).isEqualTo(-1);
        assertThat(SourceCatalog.parseDurationMillis("1w")).isEqualTo(-1);
        assertThat(SourceCatalog.parseDurationMillis("99999999999999999999d")).isEqualTo(-1);
    }

    @Test
    void catalogSurvivesJavaSerialisation() throws Exception {
        SourceCatalog catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(catalog);
        }
        SourceCatalog copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SourceCatalog) in.readObject();
        }
        assertThat(copy.groups()).isEqualTo(catalog.groups());
        assertThat(copy.sensors()).isEqualTo(catalog.sensors());
        assertThat(copy.sensor("a.flow.2").channel()).isEqualTo(1);
    }

    @Test
    void catalogIsImmutable() {
        SourceCatalog catalog = SourceCatalog.parse(VALID, "inline.yaml");
        assertThatThrownBy(() -> catalog.groups().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> catalog.group("g").channels().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void loadFromFileNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, VALID);
        assertThat(SourceCatalog.load(good).groups()).containsOnlyKeys("g");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, VALID.replace("fill: mean", "fill: cubic"));
        assertThatThrownBy(() -> SourceCatalog.load(bad))
                .isInstanceOf(CatalogException.class)
                .hasMessage(
                        "catalog "
                                + bad
                                + ": groups.g.channels[1].fill: unknown fill policy \"cubic\";"
                                + " expected last, mean or linear");
    }

    @Test
    void invalidCatalogsAreRejectedNamingTheField() {
        expectError(
                VALID.replace("[a, {", "[a, a, {"),
                "groups.g.channels[1]: channel a is listed twice");
        expectError(
                VALID.replace("s.b: {group: g,", "s.b: {group: h,"),
                "sensors.s.b.group: names unknown group h; groups are [g]");
        expectError(
                VALID.replace("s.b: {group: g, channel: b}", "s.b: {group: g, channel: c}"),
                "sensors.s.b.channel: names unknown channel c of group g; its channels are [a, b]");
        expectError(VALID.replace("step: 15m", "step: 0"), "groups.g.step: must be > 0, got 0");
        expectError(VALID.replace("step: 15m", "step: -5"), "groups.g.step: must be a duration");
        expectError(
                VALID.replace("step: 15m", "stepp: 15m"), "groups.g.stepp: is not a known field");
        expectError(VALID.replace("version: 1", "version: 2"), "version: must be 1");
        expectError(VALID.replace("version: 1\n", ""), "version: is required");
        expectError(
                VALID.replace("    step: 15m", "    step: 15m\n    maxGapTicks: 0"),
                "groups.g.maxGapTicks: must be an integer >= 1, got 0");
        expectError(
                VALID.replace("  s.b: {group: g, channel: b}\n", ""),
                "groups.g.channels[1]: channel b is fed by no sensor");
        expectError(
                VALID + "  s.a: {group: g, channel: b}\n", "not valid YAML: Duplicate field 's.a'");
        expectError("- just\n- a list\n", "must be a mapping with version, groups and sensors");
        expectError(
                VALID.replace(
                        "channels: [a, {name: b, fill: mean, maxStaleness: 1h}]", "channels: []"),
                "groups.g.channels: must be a non-empty list");
    }

    @Test
    void modelCompatibilityCheckNamesTheDifference() {
        GroupSpec g = SourceCatalog.parse(VALID, "inline.yaml").group("g");
        assertThatThrownBy(
                        () ->
                                g.checkServedBy(
                                        BlurConfig.builder()
                                                .channels(List.of("b", "a"))
                                                .gridStepMillis(900_000L)
                                                .build()))
                .hasMessageContaining("group g has channels [a, b] but the model reads [b, a]");
        assertThatThrownBy(
                        () ->
                                g.checkServedBy(
                                        BlurConfig.builder()
                                                .channels(List.of("a", "b"))
                                                .gridStepMillis(3_600_000L)
                                                .build()))
                .hasMessageContaining("step of 900000 ms but the model was trained on 3600000 ms");
    }

    private static void expectError(String yaml, String expected) {
        assertThatThrownBy(() -> SourceCatalog.parse(yaml, "inline.yaml"))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("catalog inline.yaml: ")
                .hasMessageContaining(expected);
    }
}
