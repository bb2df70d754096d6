package io.visionplatform.model;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class ModelServiceFoundationTest extends ServiceFoundationTest {
}
