package io.visionplatform.vision.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PythonLiteralTest {

    @Test
    void parsesDictWithIntKeysInOrder() {
        Object v = PythonLiteral.parse("{0: 'circle', 1: 'square', 2: 'triangle', 3: 'cross'}");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) v;
        assertThat(map.keySet()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(map.values()).containsExactly("circle", "square", "triangle", "cross");
    }

    @Test
    void parsesDictWithStringKeysAndMixedValues() {
        Object v = PythonLiteral.parse(
                "{'batch': 1, 'half': False, 'dynamic': True, 'opset': None, 'lr': 0.01, 'x': -2.5e-3, \"name\": \"a\"}");
        Map<?, ?> map = (Map<?, ?>) v;
        assertThat(map.get("batch")).isEqualTo(1L);
        assertThat(map.get("half")).isEqualTo(false);
        assertThat(map.get("dynamic")).isEqualTo(true);
        assertThat(map.containsKey("opset")).isTrue();
        assertThat(map.get("opset")).isNull();
        assertThat(map.get("lr")).isEqualTo(0.01);
        assertThat(map.get("x")).isEqualTo(-2.5e-3);
        assertThat(map.get("name")).isEqualTo("a");
    }

    @Test
    void parsesListsTuplesAndNesting() {
        assertThat(PythonLiteral.parse("[192, 192]")).isEqualTo(List.of(192L, 192L));
        assertThat(PythonLiteral.parse("(640, 480)")).isEqualTo(List.of(640L, 480L));
        assertThat(PythonLiteral.parse("(7,)")).isEqualTo(List.of(7L));
        assertThat(PythonLiteral.parse("(7)")).isEqualTo(7L);
        assertThat(PythonLiteral.parse("()")).isEqualTo(List.of());
        assertThat(PythonLiteral.parse("[]")).isEqualTo(List.of());
        assertThat(PythonLiteral.parse("{}")).isEqualTo(Map.of());
        assertThat(PythonLiteral.parse("  [ [1, 2] , {'k': [3]} , ] "))
                .isEqualTo(List.of(List.of(1L, 2L), Map.of("k", List.of(3L))));
        assertThat(PythonLiteral.parse("[None, True]")).isEqualTo(Arrays.asList(null, true));
    }

    @Test
    void parsesNumbers() {
        assertThat(PythonLiteral.parse("32")).isEqualTo(32L);
        assertThat(PythonLiteral.parse("-7")).isEqualTo(-7L);
        assertThat(PythonLiteral.parse("0")).isEqualTo(0L);
        assertThat(PythonLiteral.parse("1.5")).isEqualTo(1.5);
        assertThat(PythonLiteral.parse(".5")).isEqualTo(0.5);
        assertThat(PythonLiteral.parse("5.")).isEqualTo(5.0);
        assertThat(PythonLiteral.parse("1e-05")).isEqualTo(1e-5);
        assertThat(PythonLiteral.parse("123456789012345678901234567890"))
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void parsesStringsWithQuotesAndEscapes() {
        assertThat(PythonLiteral.parse("'it\\'s'")).isEqualTo("it's");
        assertThat(PythonLiteral.parse("\"it's\"")).isEqualTo("it's");
        assertThat(PythonLiteral.parse("'say \"hi\"'")).isEqualTo("say \"hi\"");
        assertThat(PythonLiteral.parse("'a\\nb\\tc\\\\d'")).isEqualTo("a\nb\tc\\d");
        assertThat(PythonLiteral.parse("'\\x41\\u00e9\\U0001F600'")).isEqualTo("A\u00e9\uD83D\uDE00");
        assertThat(PythonLiteral.parse("'\\101'")).isEqualTo("A");
        assertThat(PythonLiteral.parse("'C:\\data\\set'")).isEqualTo("C:\\data\\set");
        assertThat(PythonLiteral.parse("'caf\u00e9 \u732b'")).isEqualTo("caf\u00e9 \u732b");
        assertThat(PythonLiteral.parse("''")).isEqualTo("");
    }

    @Test
    void repeatedDictKeyKeepsTheLastValue() {
        assertThat(PythonLiteral.parse("{0: 'a', 0: 'b'}")).isEqualTo(Map.of(0L, "b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "{0: 'a'",
            "{0 'a'}",
            "{0: 'a',, 1: 'b'}",
            "[1, 2",
            "[1 2]",
            "[,]",
            "'unterminated",
            "'a' 'b'",
            "'''triple'''",
            "__import__('os').system('true')",
            "os.system('x')",
            "open('f')",
            "true",
            "none",
            "inf",
            "nan",
            "1 + 2",
            "0x10",
            "007",
            "-",
            "1e",
            "1.2.3",
            "{[1]: 2}",
            "{'a': 1} extra",
            "'\\x4'",
            "'line\nbreak'",
            "\u0661\u0662",
    })
    void refusesMalformedOrNonLiteralInput(String text) {
        assertThatThrownBy(() -> PythonLiteral.parse(text)).isInstanceOf(MetadataFormatException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> PythonLiteral.parse(null)).isInstanceOf(MetadataFormatException.class);
    }

    @Test
    void errorNamesTheOffset() {
        assertThatThrownBy(() -> PythonLiteral.parse("{0: 'a', 1: b}"))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("offset 12");
    }

    @Test
    void refusesAbsurdNesting() {
        assertThatThrownBy(() -> PythonLiteral.parse("[".repeat(1000) + "]".repeat(1000)))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void resultsAreUnmodifiable() {
        List<?> list = (List<?>) PythonLiteral.parse("[1]");
        Map<?, ?> map = (Map<?, ?>) PythonLiteral.parse("{1: 2}");
        assertThatThrownBy(() -> list.remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    }
}
