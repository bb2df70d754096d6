package io.visionplatform.dataset;

import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.newCaller;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;

@QuarkusTest
class TrashResourceTest {

    private static String createAndTrash(Header caller, String name) {
        String id = as(caller).body(Map.of("name", name, "task", "detect"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        as(caller).delete("/api/datasets/{id}", id).then().statusCode(200);
        return id;
    }

    @Test
    void trashedDatasetIsListedAndRestoredIntact() {
        Header caller = newCaller();
        String id = createAndTrash(caller, "Keep Me");

        as(caller).get("/api/trash")
                .then()
                .statusCode(200)
                .body("data.id", contains(id))
                .body("data[0].type", equalTo("dataset"))
                .body("data[0].name", equalTo("Keep Me"))
                .body("data[0].purgeAfter", notNullValue());
        as(caller).body(Map.of("itemId", id, "type", "dataset"))
                .post("/api/trash/restore")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(id))
                .body("data.slug", equalTo("keep-me"));
        as(caller).get("/api/datasets/{id}", id).then().statusCode(200).body("data.name", equalTo("Keep Me"));
        as(caller).get("/api/trash").then().body("data", empty());
    }

    @Test
    void restoreFindsANewSlugWhenTheOldOneWasTaken() {
        Header caller = newCaller();
        String trashed = createAndTrash(caller, "Reports");
        as(caller).body(Map.of("name", "Reports", "task", "detect")).post("/api/datasets").then().statusCode(201);

        as(caller).body(Map.of("itemId", trashed, "type", "dataset"))
                .post("/api/trash/restore")
                .then()
                .statusCode(200)
                .body("data.slug", equalTo("reports-2"));
    }

    @Test
    void emptyingDeletesForGood() {
        Header caller = newCaller();
        String first = createAndTrash(caller, "one");
        createAndTrash(caller, "two");

        as(caller).post("/api/trash/empty").then().statusCode(200).body("data.deleted", equalTo(2));
        as(caller).get("/api/trash").then().body("data", empty());
        as(caller).body(Map.of("itemId", first, "type", "dataset")).post("/api/trash/restore").then().statusCode(404);
    }

    @Test
    void anotherAccountsTrashIsInvisible() {
        Header owner = newCaller();
        Header stranger = newCaller();
        String id = createAndTrash(owner, "mine");

        as(stranger).get("/api/trash").then().body("data", empty());
        as(stranger).body(Map.of("itemId", id, "type", "dataset"))
                .post("/api/trash/restore")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(stranger).post("/api/trash/empty").then().body("data.deleted", equalTo(0));
        as(owner).get("/api/trash").then().body("data.id", contains(id));
    }

    @Test
    void restoreBodyIsValidated() {
        as(newCaller()).body(Map.of("itemId", "", "type", "spaceship"))
                .post("/api/trash/restore")
                .then()
                .statusCode(400)
                .body("error.details.fields.itemId", notNullValue())
                .body("error.details.fields.type", notNullValue());
    }
}
