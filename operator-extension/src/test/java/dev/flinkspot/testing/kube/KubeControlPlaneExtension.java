package dev.flinkspot.testing.kube;

import dev.flinkspot.testing.MissingComponent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real control plane per test class, started before all tests and stopped
 * after them (also when a test or the setup fails). Skips the class when the binaries cannot be had
 * (fails under {@code CI=true}). Test methods may take a {@link KubeControlPlane} or a {@link
 * KubernetesClient} parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KubeControlPlaneExtension KUBE =
 *     new KubeControlPlaneExtension(b -> b.withScheduler(), kube -> FlinkCrds.install(kube.client()));
 * }</pre>
 */
public final class KubeControlPlaneExtension
    implements TestCluster,
        ExecutionCondition,
        BeforeAllCallback,
        AfterAllCallback,
        ParameterResolver {

  private final Consumer<KubeControlPlane.Builder> options;
  private final Consumer<KubeControlPlane> setup;
  private KubeControlPlane plane;

  /** A bare API server (with etcd). */
  public KubeControlPlaneExtension() {
    this(b -> {}, kube -> {});
  }

  /**
   * @param options what to start besides the API server (scheduler, controller-manager, flags)
   * @param setup runs once the control plane is up, e.g. installing CRDs before the controller
   *     manager is started with {@link KubeControlPlane#startControllerManager}
   */
  public KubeControlPlaneExtension(
      Consumer<KubeControlPlane.Builder> options, Consumer<KubeControlPlane> setup) {
    this.options = options;
    this.setup = setup;
  }

  /**
   * A bare API server (with etcd) on which {@code install} runs once it is up, e.g. {@code
   * KubeControlPlaneExtension.installing(FlinkCrds::installWithPolicies)}.
   */
  public static KubeControlPlaneExtension installing(Consumer<KubernetesClient> install) {
    return new KubeControlPlaneExtension(b -> {}, kube -> install.accept(kube.client()));
  }

  public KubeControlPlane controlPlane() {
    if (plane == null) {
      throw new IllegalStateException("the control plane is not started (used outside a test?)");
    }
    return plane;
  }

  @Override
  public KubernetesClient client() {
    return controlPlane().client();
  }

  @Override
  public CommandResult kubectl(String... args) {
    return controlPlane().kubectl(args);
  }

  /**
   * Disables the class, with the reason in the test report, when the binaries cannot be had; under
   * {@code CI=true} it stays enabled so that {@link #beforeAll} fails instead.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = ControlPlaneBinaries.missing();
    if (missing.isPresent() && !MissingComponent.isCi()) {
      System.err.println(
          "[kube] skipped " + context.getDisplayName() + ", missing: " + missing.get());
      return ConditionEvaluationResult.disabled("missing: " + missing.get());
    }
    return ConditionEvaluationResult.enabled("control-plane binaries available");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    KubeControlPlane.Builder builder = KubeControlPlane.builder();
    options.accept(builder);
    plane = builder.start();
    setup.accept(plane);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (plane != null) {
      plane.close();
      plane = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubeControlPlane.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KubeControlPlane.class ? controlPlane() : client();
  }
}
