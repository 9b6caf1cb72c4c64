package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.policy.StaticPolicyLookup;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An admission that changes what is stored is one INFO line, as a write of the reconciler is. */
class AdmissionLogTest {

  private final AdmissionHandler handler =
      new AdmissionHandler(
          new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS)));
  private final Logger logger = (Logger) LoggerFactory.getLogger(AdmissionHandler.class);
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    captured.start();
    logger.addAppender(captured);
  }

  @AfterEach
  void release() {
    logger.detachAppender(captured);
    logger.setLevel(level);
  }

  private List<String> at(Level level) {
    return captured.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void aPlacementAtAdmissionIsOneInfoLine() {
    handler.review(AdmissionHandlerTest.review("create-stock-ticker.json"));

    assertThat(at(Level.INFO))
        .singleElement()
        .isEqualTo(
            "placed FlinkDeployment flink/stock-ticker at admission (CREATE): placement of"
                + " FlinkSpotPolicy spot-taskmanagers");
  }

  @Test
  void aDryRunStoresNothingAndIsDebugOnly() {
    ObjectNode review = AdmissionHandlerTest.review("create-stock-ticker.json");
    ((ObjectNode) review.path("request")).put("dryRun", true);

    handler.review(review);

    assertThat(at(Level.INFO)).isEmpty();
    assertThat(at(Level.DEBUG)).singleElement().asString().contains("(CREATE, dry run)");
  }
}
