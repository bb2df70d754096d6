package io.visionplatform.dataset;

import static io.restassured.RestAssured.given;
import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.newCaller;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;

@QuarkusTest
class DatasetResourceTest {

    private static String create(Header caller, String name, String task) {
        return as(caller).body(Map.of("name", name, "task", task, "description", "test data"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
    }

    @Test
    void createdDatasetHasTheContractsFields() {
        Header caller = newCaller();
        as(caller).body(Map.of("name", "My Shapes (v2)", "task", "detect", "description", "circles and squares"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .body("success", equalTo(true))
                .body("data.id", startsWith("dataset_"))
                .body("data.name", equalTo("My Shapes (v2)"))
                .body("data.slug", equalTo("my-shapes-v2"))
                .body("data.task", equalTo("detect"))
                .body("data.imageCount", equalTo(0))
                .body("data.classCount", equalTo(0))
                .body("data.visibility", equalTo("private"))
                .body("data.status", equalTo("ready"))
                .body("data.createdAt", notNullValue());
    }

    @Test
    void slugsAreUniquePerOwnerOnly() {
        Header alice = newCaller();
        Header bob = newCaller();
        String first = create(alice, "Parts", "detect");
        String second = create(alice, "parts", "segment");
        String bobs = create(bob, "Parts", "detect");

        as(alice).get("/api/datasets/{id}", first).then().body("data.slug", equalTo("parts"));
        as(alice).get("/api/datasets/{id}", second).then().body("data.slug", equalTo("parts-2"));
        as(bob).get("/api/datasets/{id}", bobs).then().body("data.slug", equalTo("parts"));
    }

    @Test
    void listPagesAndFiltersByTask() {
        Header caller = newCaller();
        create(caller, "a", "detect");
        create(caller, "b", "detect");
        String newest = create(caller, "c", "segment");

        as(caller).queryParam("limit", 2)
                .get("/api/datasets")
                .then()
                .statusCode(200)
                .body("data", hasSize(2))
                .body("data[0].id", equalTo(newest))
                .body("meta.page", equalTo(1))
                .body("meta.limit", equalTo(2))
                .body("meta.total", equalTo(3));
        as(caller).queryParam("limit", 2)
                .queryParam("page", 2)
                .get("/api/datasets")
                .then()
                .body("data", hasSize(1));
        as(caller).queryParam("task", "segment")
                .get("/api/datasets")
                .then()
                .body("data.id", contains(newest))
                .body("meta.total", equalTo(1));
    }

    @Test
    void badInputIsAValidationErrorWithDetails() {
        Header caller = newCaller();
        as(caller).body(Map.of("name", " ", "task", "dance"))
                .post("/api/datasets")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.name", notNullValue())
                .body("error.details.fields.task", notNullValue());
        as(caller).queryParam("limit", 101).get("/api/datasets").then().statusCode(400)
                .body("error.details.fields.limit", notNullValue());
        as(caller).queryParam("page", 0).get("/api/datasets").then().statusCode(400);
        as(caller).queryParam("task", "nope").get("/api/datasets").then().statusCode(400);
        as(caller).body("{\"name\": ").post("/api/datasets").then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void anotherAccountsDatasetIsNotFoundEverywhere() {
        Header owner = newCaller();
        Header stranger = newCaller();
        String id = create(owner, "private stuff", "detect");

        as(stranger).get("/api/datasets/{id}", id).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        as(stranger).delete("/api/datasets/{id}", id).then().statusCode(404);
        as(stranger).get("/api/datasets").then().body("meta.total", equalTo(0));
        as(owner).get("/api/datasets/{id}", id).then().statusCode(200);
    }

    @Test
    void deleteMovesToTheTrash() {
        Header caller = newCaller();
        String id = create(caller, "short-lived", "detect");

        as(caller).delete("/api/datasets/{id}", id)
                .then()
                .statusCode(200)
                .body("data.id", equalTo(id))
                .body("data.type", equalTo("dataset"))
                .body("data.purgeAfter", notNullValue());
        as(caller).get("/api/datasets/{id}", id).then().statusCode(404);
        as(caller).get("/api/datasets").then().body("meta.total", equalTo(0));
        // The slug is free again for a new dataset.
        String again = create(caller, "short-lived", "detect");
        as(caller).get("/api/datasets/{id}", again).then().body("data.slug", equalTo("short-lived"));
    }

    @Test
    void callsWithoutTheGatewaysTokenAreRefused() {
        given().get("/api/datasets").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }
}
