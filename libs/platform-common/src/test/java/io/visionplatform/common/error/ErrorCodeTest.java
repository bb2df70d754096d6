package io.visionplatform.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void contractStatusesAreTheDefaults() {
        assertThat(ErrorCode.UNAUTHORIZED.status()).isEqualTo(401);
        assertThat(ErrorCode.FORBIDDEN.status()).isEqualTo(403);
        assertThat(ErrorCode.NOT_FOUND.status()).isEqualTo(404);
        assertThat(ErrorCode.VALIDATION_ERROR.status()).isEqualTo(400);
        assertThat(ErrorCode.RATE_LIMITED.status()).isEqualTo(429);
        assertThat(ErrorCode.INTERNAL_ERROR.status()).isEqualTo(500);
    }

    @Test
    void foreignStatusesMapToTheNearestCode() {
        assertThat(ErrorCode.forStatus(405)).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(ErrorCode.forStatus(413)).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(ErrorCode.forStatus(415)).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(ErrorCode.forStatus(503)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.forStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
    }
}
