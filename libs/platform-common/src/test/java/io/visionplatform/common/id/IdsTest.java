package io.visionplatform.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsHaveThePrefixAndUrlSafeRandomPart() {
        String id = Ids.newId("dataset");

        assertThat(id).matches("dataset_[a-z0-9]{20}");
        assertThat(Ids.hasPrefix("dataset", id)).isTrue();
        assertThat(Ids.hasPrefix("model", id)).isFalse();
    }

    @Test
    void idsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(Ids.newId("model"));
        }

        assertThat(seen).hasSize(10_000);
    }

    @Test
    void malformedIdsAreNotOfTheType() {
        assertThat(Ids.hasPrefix("dataset", null)).isFalse();
        assertThat(Ids.hasPrefix("dataset", "dataset_../../etc")).isFalse();
        assertThat(Ids.hasPrefix("dataset", "dataset_" + "a".repeat(80))).isFalse();
        assertThat(Ids.hasPrefix("dataset", "datasetabc")).isFalse();
    }

    @Test
    void prefixMustBeLowercaseWord() {
        assertThatThrownBy(() -> Ids.newId("Data Set")).isInstanceOf(IllegalArgumentException.class);
    }
}
