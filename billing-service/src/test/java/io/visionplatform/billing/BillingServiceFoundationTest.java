package io.visionplatform.billing;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class BillingServiceFoundationTest extends ServiceFoundationTest {
}
