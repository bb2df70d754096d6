package io.visionplatform.training;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;
import io.visionplatform.training.testing.FakePlatform;

/** Also brings up the fake model/dataset services and gateway for every test of this module (one boot). */
@QuarkusTest
@QuarkusTestResource(FakePlatform.class)
class TrainingServiceFoundationTest extends ServiceFoundationTest {
}
