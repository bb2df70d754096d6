package io.visionplatform.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class GatewayServiceFoundationTest extends ServiceFoundationTest {
}
