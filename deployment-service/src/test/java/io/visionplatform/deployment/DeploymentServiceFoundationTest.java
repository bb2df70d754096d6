package io.visionplatform.deployment;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class DeploymentServiceFoundationTest extends ServiceFoundationTest {
}
