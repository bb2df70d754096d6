package io.visionplatform.dataset;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class DatasetServiceFoundationTest extends ServiceFoundationTest {
}
