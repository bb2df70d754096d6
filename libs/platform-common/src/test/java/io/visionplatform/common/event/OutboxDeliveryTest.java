package io.visionplatform.common.event;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The outbox against the real broker: events leave in commit order, survive a broker outage, and the
 * idempotent consumer processes each exactly once even when Kafka and the relay deliver it again.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxDeliveryTest {

    private static final String TOPIC = "platform.test-widgets";
    private static final String CONSUMER_GROUP = "widget-audit";

    @Test
    @Order(1)
    void oneAggregatesEventsArriveInCommitOrderOnce() {
        String id = createWidget("first");
        rename(id, "second");
        rename(id, "third");

        List<Map<String, Object>> seen = awaitSeen(id, 3, Duration.ofSeconds(30));

        assertThat(seen).extracting(row -> row.get("eventType"))
                .containsExactly("widget.created", "widget.renamed", "widget.renamed");
        assertThat(seen).extracting(row -> row.get("eventId")).doesNotHaveDuplicates();
    }

    @Test
    @Order(2)
    void eventsWrittenWhileKafkaIsDownArriveOnceItReturns() {
        List<String> ids = new ArrayList<>();
        LocalStack.run("stop", "kafka");
        try {
            for (int i = 0; i < 10; i++) {
                ids.add(createWidget("offline-" + i));
            }
            assertThat(pendingInOutbox()).as("nothing can be published while the broker is down")
                    .isGreaterThanOrEqualTo(10);
        } finally {
            LocalStack.run("start", "kafka");
        }

        for (String id : ids) {
            awaitSeen(id, 1, Duration.ofSeconds(120));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingInOutbox() == 0);
        awaitConsumerCaughtUp();
        for (String id : ids) {
            assertThat(seen(id)).as("widget %s processed exactly once", id).hasSize(1);
        }
    }

    @Test
    @Order(3)
    void redeliveredEventsAreProcessedOnce() {
        String id = createWidget("redelivered");
        rename(id, "redelivered-again");
        awaitSeen(id, 2, Duration.ofSeconds(30));

        redeliverRaw(id, payloadsOf(id));
        given().post("/test/outbox/republish").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingInOutbox() == 0);
        awaitConsumerCaughtUp();

        assertThat(seen(id)).extracting(row -> row.get("eventType"))
                .containsExactly("widget.created", "widget.renamed");
    }

    private static String createWidget(String name) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .post("/test/widgets")
                .then()
                .statusCode(200)
                .extract()
                .path("data.id");
    }

    private static void rename(String id, String name) {
        given().put("/test/widgets/{id}/name/{name}", id, name).then().statusCode(200);
    }

    private static List<Map<String, Object>> seen(String id) {
        return given().get("/test/widgets/{id}/seen", id).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<Map<String, Object>> awaitSeen(String id, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> seen(id).size() >= count);
        return seen(id);
    }

    private static long pendingInOutbox() {
        return given().get("/test/outbox/pending").then().statusCode(200).extract().<Number> path("pending").longValue();
    }

    private static List<String> payloadsOf(String id) {
        return given().queryParam("subject", id)
                .get("/test/outbox/payloads")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$", String.class);
    }

    /** Publishes the same records again behind the relay's back, as a producer retry or a replay would. */
    private static void redeliverRaw(String key, List<String> payloads) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int round = 0; round < 2; round++) {
                payloads.forEach(payload -> producer.send(new ProducerRecord<>(TOPIC, key, payload)));
            }
            producer.flush();
        }
    }

    /** Waits until the consumer group has committed every record on the topic, i.e. processed them. */
    private static void awaitConsumerCaughtUp() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> lag(admin) == 0);
        }
    }

    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP)
                .partitionsToOffsetAndMetadata()
                .get();
        List<TopicPartition> partitions = admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get()
                .get(TOPIC)
                .partitions()
                .stream()
                .map(info -> new TopicPartition(TOPIC, info.partition()))
                .toList();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return partitions.stream()
                .mapToLong(partition -> ends.get(partition).offset()
                        - (committed.containsKey(partition) ? committed.get(partition).offset() : 0))
                .sum();
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
