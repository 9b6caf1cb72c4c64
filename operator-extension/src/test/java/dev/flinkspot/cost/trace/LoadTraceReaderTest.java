package dev.flinkspot.cost.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two trace formats, and a one-line error for each way a file can be wrong. */
class LoadTraceReaderTest {
  @TempDir Path dir;

  Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void csvOfBusyVcpusWithIsoOrEpochTimestamps() throws Exception {
    LoadTrace t =
        LoadTraceReader.read(
            file(
                "t.csv",
                "# comment\ntimestamp,busy_vcpus\n2026-07-01T00:00:00Z,1.5\n"
                    + "1782864300,2\n2026-07-01T00:10:00Z,0\n"),
            OptionalDouble.empty());

    assertThat(t.samples()).isEqualTo(3);
    assertThat(t.stepSeconds()).isEqualTo(300);
    assertThat(t.durationSeconds()).isEqualTo(900);
    assertThat(t.loadAt(0)).isEqualTo(1.5);
    assertThat(t.loadAt(299)).isEqualTo(1.5);
    assertThat(t.loadAt(300)).isEqualTo(2);
    assertThat(t.loadAt(899)).isEqualTo(0);
    assertThat(t.unit()).isEqualTo("busy vCPUs");
  }

  @Test
  void recordsPerSecondBecomeBusyVcpusAtTheSlotCapacity() throws Exception {
    LoadTrace t =
        LoadTraceReader.read(
            file("r.csv", "timestamp,records_per_second\n0,5000\n600,20000\n"),
            OptionalDouble.of(10_000));

    assertThat(t.loadAt(0)).isEqualTo(0.5);
    assertThat(t.loadAt(600)).isEqualTo(2.0);
    assertThat(t.unit()).contains("10000 records/s per slot-vCPU");
  }

  @Test
  void prometheusRangeQuerySeriesAreSummed() throws Exception {
    String json =
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"pod":"tm-1"},"values":[[1782864000,"1.25"],[1782864300,"2"]]},
          {"metric":{"pod":"tm-2"},"values":[[1782864000,"0.75"],[1782864300,"1"]]}]}}
        """;
    LoadTrace t = LoadTraceReader.read(file("p.json", json), OptionalDouble.empty());

    assertThat(t.samples()).isEqualTo(2);
    assertThat(t.loadAt(0)).isEqualTo(2.0);
    assertThat(t.loadAt(300)).isEqualTo(3.0);
    assertThat(t.source()).contains("Prometheus range query");
  }

  @Test
  void badFilesFailWithOneLineNamingTheFix() throws Exception {
    expectError("timestamp,load\n0,1\n600,1\n", "start the CSV with 'timestamp,busy_vcpus'");
    expectError("timestamp,busy_vcpus\n600,1\n0,1\n", "line 3: timestamp 0 is not after");
    expectError("timestamp,busy_vcpus\n0,1\n60,1\n", "must cover 10 minutes");
    expectError("timestamp,busy_vcpus\n0,-1\n600,1\n", "line 2: value '-1'");
    expectError("timestamp,busy_vcpus\nyesterday,1\n600,1\n", "timestamp 'yesterday'");
    expectError("timestamp,records_per_second\n0,1\n600,1\n", "needs --slot-capacity");
    expectError("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}", "query_range");
    expectError("timestamp,busy_vcpus\n0,1e9\n600,1\n", "more than 100,000 busy vCPUs");
  }

  void expectError(String text, String fragment) throws Exception {
    Path p = file("bad-" + Math.abs(text.hashCode()), text);
    assertThatThrownBy(() -> LoadTraceReader.read(p, OptionalDouble.empty()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
