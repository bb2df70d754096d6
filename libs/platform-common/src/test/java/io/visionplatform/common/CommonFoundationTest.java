package io.visionplatform.common;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.common.testing.ServiceFoundationTest;

@QuarkusTest
class CommonFoundationTest extends ServiceFoundationTest {
}
