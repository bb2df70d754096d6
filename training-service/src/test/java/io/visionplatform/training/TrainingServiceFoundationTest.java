package io.visionplatform.training;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class TrainingServiceFoundationTest extends ServiceFoundationTest {
}
