package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {

    @Test
    void readsPositionalsThenOptionsInEveryForm() {
        Arguments args =
                Arguments.parse(
                        "kernel",
                        "extra",
                        "--batch",
                        "64",
                        "--windows=96,336",
                        "--quick",
                        "--rate",
                        "3e-4",
                        "--json");

        assertThat(args.positionals()).containsExactly("kernel", "extra");
        assertThat(args.positional(0, "all")).isEqualTo("kernel");
        assertThat(args.positional(2, "none")).isEqualTo("none");
        assertThat(args.integer("batch", 1)).isEqualTo(64);
        assertThat(args.intList("windows", List.of(1))).containsExactly(96, 336);
        assertThat(args.decimal("rate", 1.0)).isEqualTo(3e-4);
        assertThat(args.flag("quick")).isTrue();
        assertThat(args.flag("json")).isTrue();
        assertThat(args.optionNames()).containsExactly("batch", "windows", "quick", "rate", "json");
    }

    @Test
    void absentOptionsGiveTheDefaults() {
        Arguments args = Arguments.parse();

        assertThat(args.positionals()).isEmpty();
        assertThat(args.has("batch")).isFalse();
        assertThat(args.string("model", "model.blur")).isEqualTo("model.blur");
        assertThat(args.string("model", null)).isNull();
        assertThat(args.integer("batch", 7)).isEqualTo(7);
        assertThat(args.decimal("rate", 0.25)).isEqualTo(0.25);
        assertThat(args.intList("windows", List.of(96, 336))).containsExactly(96, 336);
        assertThat(args.flag("quick")).isFalse();
    }

    @Test
    void namesListsAreTrimmedAndRejectEmptyItems() {
        assertThat(Arguments.parse("--phases", "ingest, latency").stringList("phases", List.of()))
                .containsExactly("ingest", "latency");
        assertThat(Arguments.parse().stringList("phases", List.of("all"))).containsExactly("all");
        assertThatThrownBy(
                        () ->
                                Arguments.parse("--phases=ingest,,latency")
                                        .stringList("phases", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--phases has an empty item in 'ingest,,latency'");
        assertThatThrownBy(() -> Arguments.parse("--phases").stringList("phases", List.of()))
                .hasMessageStartingWith("--phases expects a comma-separated list, got none");
    }

    @Test
    void aBareOptionBeforeAnotherOptionIsAFlag() {
        Arguments args = Arguments.parse("--quick", "--batch", "8");

        assertThat(args.flag("quick")).isTrue();
        assertThat(args.integer("batch", 1)).isEqualTo(8);
    }

    @Test
    void flagsCanBeSetExplicitly() {
        assertThat(Arguments.parse("--quick=false").flag("quick")).isFalse();
        assertThat(Arguments.parse("--quick=TRUE").flag("quick")).isTrue();
        assertThatThrownBy(() -> Arguments.parse("--quick=maybe").flag("quick"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--quick is a flag: write --quick or --quick=false, got 'maybe'");
    }

    @Test
    void aFlagFollowedByAPositionalSaysWhereArgumentsGo() {
        Arguments args = Arguments.parse("--quick", "kernel");

        assertThatThrownBy(() -> args.flag("quick"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--quick is a flag and takes no value")
                .hasMessageContaining("'kernel'")
                .hasMessageContaining("positional arguments go before the options");
    }

    @Test
    void aPositionalAfterAnOptionWithAValueIsRejected() {
        assertThatThrownBy(() -> Arguments.parse("--batch", "64", "kernel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unexpected argument 'kernel' after --batch 64: positional arguments go"
                                + " before the options");
        assertThatThrownBy(() -> Arguments.parse("--batch=64", "kernel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected argument 'kernel'");
    }

    @Test
    void everythingAfterDoubleDashIsPositional() {
        Arguments args = Arguments.parse("a", "--batch", "1", "--", "--not-an-option", "-x", "b");

        assertThat(args.positionals()).containsExactly("a", "--not-an-option", "-x", "b");
        assertThat(args.optionNames()).containsExactly("batch");
    }

    @Test
    void negativeNumbersAreValuesNotOptions() {
        Arguments args = Arguments.parse("-3", "--shift", "-2", "--rate", "-.5", "--skew=-1e3");

        assertThat(args.positionals()).containsExactly("-3");
        assertThat(args.integer("shift", 0)).isEqualTo(-2);
        assertThat(args.decimal("rate", 0)).isEqualTo(-0.5);
        assertThat(args.decimal("skew", 0)).isEqualTo(-1000.0);
    }

    @Test
    void singleDashOptionsOtherThanHelpAreRejected() {
        assertThat(Arguments.parse("-h").has("help")).isTrue();
        assertThatThrownBy(() -> Arguments.parse("-q"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown short option '-q': options are written --name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--=3", "---batch", "--bad name"})
    void malformedOptionNamesAreRejected(String token) {
        assertThatThrownBy(() -> Arguments.parse(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed option '" + token + "'");
    }

    @Test
    void repeatedOptionsAreRejected() {
        assertThatThrownBy(() -> Arguments.parse("--batch", "1", "--batch=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch is given more than once; give it once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "99999999999", "", "1_000", " 4"})
    void malformedIntegersNameTheOptionAndTheText(String text) {
        Arguments args = Arguments.parse("--batch=" + text);

        assertThatThrownBy(() -> args.integer("batch", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch expects an integer, got '" + text + "'");
    }

    @Test
    void anOptionWithoutItsValueSaysSo() {
        Arguments args = Arguments.parse("--batch", "--quick");

        assertThatThrownBy(() -> args.integer("batch", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch expects an integer, got none: write --batch VALUE");
        assertThatThrownBy(() -> args.string("batch", "x"))
                .hasMessageStartingWith("--batch expects a value, got none");
        assertThatThrownBy(() -> args.decimal("batch", 1))
                .hasMessageStartingWith("--batch expects a number, got none");
        assertThatThrownBy(() -> args.intList("batch", List.of()))
                .hasMessageStartingWith("--batch expects a comma-separated list of integers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3e-4", ".5", "1.", "-2", "+7.25", "1E3"})
    void decimalsInDecimalNotation(String text) {
        assertThat(Arguments.parse("--rate=" + text).decimal("rate", 0))
                .isEqualTo(Double.parseDouble(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "NaN", "Infinity", "1d", "0x1p3", "1e999", "1,5", ""})
    void malformedDecimalsAreRejected(String text) {
        Arguments args = Arguments.parse("--rate=" + text);

        assertThatThrownBy(() -> args.decimal("rate", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--rate expects a number, got '" + text + "'");
    }

    @Test
    void integerListsAcceptSpacesAndSingleValues() {
        assertThat(Arguments.parse("--windows", "96, 336 ,720").intList("windows", List.of()))
                .containsExactly(96, 336, 720);
        assertThat(Arguments.parse("--windows", "96").intList("windows", List.of()))
                .containsExactly(96);
    }

    @ParameterizedTest
    @ValueSource(strings = {"96,,336", "96,x", "96,", ",96", ""})
    void malformedIntegerListsAreRejected(String text) {
        Arguments args = Arguments.parse("--windows=" + text);

        assertThatThrownBy(() -> args.intList("windows", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--windows expects a comma-separated list of integers such as 96,336,"
                                + " got '"
                                + text
                                + "'");
    }

    @Test
    void stringsKeepTheirTextVerbatim() {
        assertThat(Arguments.parse("--name=").string("name", "x")).isEmpty();
        assertThat(Arguments.parse("--name=--x").string("name", null)).isEqualTo("--x");
        assertThat(Arguments.parse("--name=a=b").string("name", null)).isEqualTo("a=b");
        assertThat(Arguments.parse("--model", "runs/model.blur").string("model", null))
                .isEqualTo("runs/model.blur");
    }

    @Test
    void acceptedOptionsPassTheCheck() {
        Arguments.parse("--batch", "1", "--json").checkOptions("batch", "windows", "json");
        Arguments.parse().checkOptions();
    }

    @Test
    void aMisspeltOptionIsReportedWithTheClosestAndTheAcceptedOnes() {
        Arguments args = Arguments.parse("--bach", "64");

        assertThatThrownBy(() -> args.checkOptions("batch", "windows", "quick", "json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown option --bach (did you mean --batch?); accepted options:"
                                + " --batch, --windows, --quick, --json");
    }

    @Test
    void everyUnknownOptionIsReported() {
        Arguments args = Arguments.parse("--windws", "96", "--zzz");

        assertThatThrownBy(() -> args.checkOptions(List.of("windows", "json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown options --windws (did you mean --windows?), --zzz; accepted"
                                + " options: --windows, --json");
    }

    @Test
    void aCommandWithoutOptionsSaysSo() {
        assertThatThrownBy(() -> Arguments.parse("--json").checkOptions())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --json; this command takes no options");
    }

    @Test
    void tooManyPositionalsAreRejected() {
        Arguments.parse("kernel").checkPositionals(1);

        assertThatThrownBy(() -> Arguments.parse("kernel", "extra").checkPositionals(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected at most 1 positional argument, got 2: 'kernel', 'extra'");
        assertThatThrownBy(() -> Arguments.parse("x").checkPositionals(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this command takes no positional arguments, got 'x'");
    }

    @Test
    void suggestionsCatchTyposButNotUnrelatedWords() {
        List<String> words = List.of("bench", "version", "train");

        assertThat(Suggestions.closest("bnech", words)).contains("bench");
        assertThat(Suggestions.closest("verison", words)).contains("version");
        assertThat(Suggestions.closest("ver", words)).contains("version");
        assertThat(Suggestions.closest("deploy", words)).isEmpty();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
    }

    @Test
    void aRequiredStringIsReturnedOrNamedWhenMissing() {
        Arguments args = Arguments.parse("--key", "k.pem");
        org.assertj.core.api.Assertions.assertThat(args.requiredString("key")).isEqualTo("k.pem");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> args.requiredString("model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--model is required");
    }
}
