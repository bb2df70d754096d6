package io.visionplatform.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTableTest {

    @Test
    void aModelsTrainingGoesToTheTrainingService() {
        assertThat(RouteTable.resolve("/api/models/model_abc/training")).get()
                .extracting(Route::upstream)
                .isEqualTo("training");
        assertThat(RouteTable.resolve("/api/models/model_abc/training/logs")).get()
                .extracting(Route::upstream)
                .isEqualTo("training");
    }

    @Test
    void prefixesMatchWholeSegmentsOnly() {
        assertThat(RouteTable.resolve("/api/models/model_abc/predict")).get()
                .extracting(Route::upstream)
                .isEqualTo("models");
        assertThat(RouteTable.resolve("/api/datasets")).get().extracting(Route::upstream).isEqualTo("datasets");
        assertThat(RouteTable.resolve("/api/datasetsx")).isEmpty();
        assertThat(RouteTable.resolve("/api/models/training")).get().extracting(Route::upstream).isEqualTo("models");
    }

    @Test
    void openRoutesAreMarked() {
        assertThat(RouteTable.resolve("/api/health")).get().extracting(Route::open).isEqualTo(true);
        assertThat(RouteTable.resolve("/api/settings")).get().extracting(Route::open).isEqualTo(false);
    }
}
