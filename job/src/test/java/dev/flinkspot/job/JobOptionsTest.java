package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * The shipped example reads MSK with IAM access control: its arguments parse, and the login
   * module and callback handler they name are on the job's classpath (aws-msk-iam-auth).
   */
  @Test
  void shippedExampleUsesMskIamAuthThatTheJarCarries() throws Exception {
    String yaml = Files.readString(Path.of("..", "k8s", "examples", "stock-ticker.yaml"));
    Matcher args = Pattern.compile("(?s)\\n\\s*args: (\\[.*?\\])\\n").matcher(yaml);
    assertThat(args.find()).as("args: [...] in stock-ticker.yaml").isTrue();
    String[] argv = new ObjectMapper().readValue(args.group(1), String[].class);

    JobOptions o = JobOptions.parse(argv);

    assertThat(o.source()).isEqualTo("kafka");
    assertThat(o.kafkaProperties()).containsEntry("sasl.mechanism", "AWS_MSK_IAM");
    Class.forName(o.kafkaProperties().getProperty("sasl.client.callback.handler.class"));
    String loginModule = o.kafkaProperties().getProperty("sasl.jaas.config").split(" ")[0];
    Class.forName(loginModule);
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
