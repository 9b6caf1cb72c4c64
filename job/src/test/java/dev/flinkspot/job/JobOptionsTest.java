package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
  @Test
  void defaultsAreTheLocalWiring() {
    JobOptions o = JobOptions.parse();
    assertThat(o.source()).isEqualTo("generator");
    assertThat(o.sink()).isEqualTo("file");
    assertThat(o.windowSize()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.windowSlide()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.outOfOrderness()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.checkpointInterval()).isNull();
  }

  @Test
  void productionWiringWithKafkaPropertiesPassedThrough() {
    JobOptions o =
        JobOptions.parse(
            "--source", "kafka",
            "--kafka-bootstrap-servers", "b-1.msk:9094",
            "--kafka.security.protocol", "SSL",
            "--sink", "s3",
            "--output", "s3://bucket/stock-ticker");
    assertThat(o.kafkaBootstrapServers()).isEqualTo("b-1.msk:9094");
    assertThat(o.kafkaProperties()).containsEntry("security.protocol", "SSL");
    assertThat(o.output()).isEqualTo("s3://bucket/stock-ticker");
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThatThrownBy(() -> JobOptions.parse("--source", "kinesis"))
        .hasMessageContaining("--source must be one of");
    assertThatThrownBy(() -> JobOptions.parse("--source", "kafka"))
        .hasMessageContaining("--kafka-bootstrap-servers");
    assertThatThrownBy(() -> JobOptions.parse("--sink", "s3")).hasMessageContaining("s3://");
    assertThatThrownBy(() -> JobOptions.parse("--window-slide", "20s"))
        .hasMessageContaining("--window-slide");
    assertThatThrownBy(() -> JobOptions.parse("--paralelism", "4"))
        .hasMessageContaining("unknown option --paralelism");
    assertThatThrownBy(() -> JobOptions.parse("--events")).hasMessageContaining("--key value");
  }
}
