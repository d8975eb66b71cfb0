package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ForecastStampTest {

    @Test
    void readsGroupTickAndLatencyOfARecordAsTheJobWritesIt() throws IOException {
        Forecast forecast = new Forecast();
        forecast.groupId = "g17";
        forecast.issuedForMillis = 1_767_225_600_000L;
        forecast.stepMillis = 60_000;
        forecast.horizon = 2;
        forecast.channels = new String[] {"a", "b"};
        forecast.values = new float[] {1.5f, -2.25f, 3e-7f, 4f};
        forecast.modelId = "m";
        forecast.modelVersion = 3;
        forecast.latencyMillis = 42;

        ForecastStamp stamp = ForecastStamp.read(RecordJson.toBytes(forecast));

        assertThat(stamp).isEqualTo(new ForecastStamp("g17", 1_767_225_600_000L, 42));
    }

    @Test
    void nestedValuesBeforeTheStampAreSkipped() throws IOException {
        String json =
                "{\"values\":[[1,2],{\"latencyMillis\":9}],\"groupId\":\"g\","
                        + "\"latencyMillis\":7,\"issuedForMillis\":5}";

        assertThat(ForecastStamp.read(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ForecastStamp("g", 5, 7));
    }

    @Test
    void aRecordWithoutALatencyIsAnError() {
        byte[] json = "{\"groupId\":\"g\",\"issuedForMillis\":5}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ForecastStamp.read(json)).hasMessageContaining("latencyMillis");
    }
}
