package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.cluster.ClusterSmoke;
import io.blurstream.training.data.DatasetCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real standalone Flink cluster (JobManager and two TaskManagers in child JVMs,
 * submitted with the Flink command line), stopped with a savepoint and resumed from it at another
 * parallelism: every window is forecast exactly once. Tagged {@code cluster}: {@code mvn verify
 * -Dblurstream.it.excludedGroups=cluster} leaves it out.
 */
@Tag("cluster")
class ClusterSmokeITCase {

    @Test
    void theJobJarOnAStandaloneClusterForecastsEveryWindowOnceAcrossASavepointAndARescale(
            @TempDir Path dir) throws Exception {
        ClusterSmoke.Summary summary =
                ClusterSmoke.run(
                        new ClusterSmoke.Settings(
                                dir,
                                JobJarITCase.JAR,
                                Path.of("../models/ETTh1-blur-96.json"),
                                DatasetCatalog.locateDataDirectory(),
                                200,
                                150),
                        System.out::println);
        System.out.println("cluster smoke: " + summary);
        assertThat(summary.parallelismBefore()).isEqualTo(2);
        assertThat(summary.parallelismAfter()).isEqualTo(1);
        assertThat(summary.savepointRestored()).isTrue();
        assertThat(summary.forecastsExpected()).isGreaterThan(2 * 150);
        assertThat(summary.forecasts()).isEqualTo(summary.forecastsExpected());
        assertThat(summary.duplicates()).isZero();
    }
}
