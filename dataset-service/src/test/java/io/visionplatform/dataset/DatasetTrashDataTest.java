package io.visionplatform.dataset;

import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.createDataset;
import static io.visionplatform.dataset.Callers.newCaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.visionplatform.dataset.testdata.SyntheticDatasets;

/** The trash keeps a dataset's images until the purge, and the purge removes them from the store. */
@QuarkusTest
class DatasetTrashDataTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void restoredDatasetKeepsItsImagesAndExports() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Restore Me", "detect");
        Callers.ingest(caller, id, SyntheticDatasets.yoloZip(work.resolve("r.zip"), List.of("a", "b"), 4, 2, 11L).zip());

        as(caller).delete("/api/datasets/{id}", id).then().statusCode(200);
        as(caller).body(Map.of("itemId", id, "type", "dataset")).post("/api/trash/restore").then().statusCode(200);

        as(caller).get("/api/datasets/{id}", id)
                .then()
                .body("data.imageCount", equalTo(6))
                .body("data.classNames", equalTo(List.of("a", "b")));
        String url = as(caller).post("/api/datasets/{id}/export", id).then().statusCode(200).extract().path("data.url");
        List<String> lines = List.of(new String(fetch(url).body()).split("\n"));
        assertThat(lines).hasSize(7);
        for (String imageUrl : objectUrls(caller, id)) {
            assertThat(fetch(imageUrl).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void purgedDatasetLeavesNoObjectsInTheStore() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Purge Me", "detect");
        Callers.ingest(caller, id, SyntheticDatasets.yoloZip(work.resolve("p.zip"), List.of("a"), 3, 1, 13L).zip());
        String exportUrl = as(caller).post("/api/datasets/{id}/export", id).then().extract().path("data.url");
        List<String> urls = new ArrayList<>(objectUrls(caller, id));
        urls.add(exportUrl);
        for (String url : urls) {
            assertThat(fetch(url).statusCode()).isEqualTo(200);
        }

        as(caller).delete("/api/datasets/{id}", id).then().statusCode(200);
        as(caller).post("/api/trash/empty").then().statusCode(200).body("data.deleted", equalTo(1));

        for (String url : urls) {
            assertThat(fetch(url).statusCode()).as("after the purge: %s", url).isEqualTo(404);
        }
    }

    /** Signed URLs of every image and thumbnail of the dataset. */
    private static List<String> objectUrls(Header caller, String id) {
        var page = as(caller).get("/api/datasets/{id}/images?limit=500", id).then().statusCode(200).extract().jsonPath();
        List<String> urls = new ArrayList<>(page.getList("data.url", String.class));
        urls.addAll(page.getList("data.thumbnailUrl", String.class));
        return urls;
    }

    private static HttpResponse<byte[]> fetch(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
