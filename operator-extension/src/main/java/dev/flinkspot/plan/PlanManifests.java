package dev.flinkspot.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.flinkspot.flink.FlinkConfiguration;
import dev.flinkspot.flink.JobManagerAddress;
import dev.flinkspot.kube.Names;
import dev.flinkspot.scaling.FlinkKeys;
import dev.flinkspot.scaling.ReactiveDefaults;
import dev.flinkspot.scaling.TaskManagerDrain;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The three files of a plan as objects: the eksctl ClusterConfig (the layout of {@code
 * eksctl/cluster.yaml}), the FlinkSpotPolicy its labels and taints call for, and the
 * FlinkDeployment sized for the ingest rate. Pure: no I/O.
 */
final class PlanManifests {
  static final YAMLMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new DateQuoting()).build())
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final String POOL = ClusterConfigRules.POOL_LABEL;
  static final String EKS_VERSION = "1.33";

  /** AWS calls 50-75% containerCPUUtilization healthy for Managed Flink; aim in the middle. */
  static final int TARGET_CPU_PERCENT = 65;

  private PlanManifests() {}

  static ObjectNode clusterConfig(
      PlanRequest request, Sizing sizing, List<List<String>> spotGroups) {
    ObjectNode config = JSON.objectNode();
    config.put("apiVersion", ClusterConfigRules.API_VERSION);
    config.put("kind", "ClusterConfig");
    ObjectNode metadata = config.putObject("metadata");
    metadata.put("name", request.clusterName());
    metadata.put("region", request.region());
    metadata.put("version", EKS_VERSION);
    metadata.putObject("tags").put("project", "flinkspot");
    strings(config.putArray("availabilityZones"), request.zones());

    ObjectNode iam = config.putObject("iam");
    iam.put("withOIDC", true);
    ArrayNode accounts = iam.putArray("serviceAccounts");
    accounts.add(
        serviceAccount(
            ClusterConfigRules.FLINK_SERVICE_ACCOUNT, request.namespace(), flinkPolicy(request)));
    accounts.add(serviceAccount("cluster-autoscaler", "kube-system", autoscalerPolicy(request)));

    ArrayNode addons = config.putArray("addons");
    for (String addon : List.of("vpc-cni", "coredns", "kube-proxy")) {
      addons.addObject().put("name", addon);
    }

    ArrayNode groups = config.putArray("managedNodeGroups");
    ObjectNode system = group(groups, "system", List.of("m5.large"), 2, 2, 3, 50);
    system.putObject("labels").put(POOL, "system");

    ObjectNode jm =
        group(
            groups,
            "jobmanagers-on-demand",
            List.of(request.jobManagerInstanceType()),
            1,
            1,
            2,
            50);
    pool(jm, ClusterConfigRules.JOBMANAGER, "ON_DEMAND");

    int perGroup = Math.floorDiv(sizing.nodes() + spotGroups.size() - 1, spotGroups.size());
    char suffix = 'a';
    for (List<String> types : spotGroups) {
      ObjectNode tm = JSON.objectNode();
      tm.put("name", "taskmanagers-spot-" + suffix++);
      tm.put("spot", true);
      strings(tm.putArray("instanceTypes"), types);
      strings(tm.putArray("availabilityZones"), request.zones());
      tm.put("minSize", 0);
      tm.put("desiredCapacity", perGroup);
      // Either group alone can carry twice the planned TaskManagers: room for the HPA, and for
      // the other group's Spot pools running dry.
      tm.put("maxSize", Math.max(2, 2 * sizing.nodes()));
      tm.put("volumeSize", 80);
      pool(tm, ClusterConfigRules.TASKMANAGER, "SPOT");
      groups.add(tm);
    }
    return config;
  }

  private static ObjectNode group(
      ArrayNode groups,
      String name,
      List<String> types,
      int min,
      int desired,
      int max,
      int volume) {
    ObjectNode group = groups.addObject();
    group.put("name", name);
    strings(group.putArray("instanceTypes"), types);
    group.put("minSize", min);
    group.put("desiredCapacity", desired);
    group.put("maxSize", max);
    group.put("volumeSize", volume);
    return group;
  }

  /** The pool label, its NoSchedule taint, and the autoscaler's node-template tags for both. */
  private static void pool(ObjectNode group, String pool, String capacity) {
    group.putObject("labels").put(POOL, pool);
    group
        .putArray("taints")
        .addObject()
        .put("key", POOL)
        .put("value", pool)
        .put("effect", "NoSchedule");
    group.put("propagateASGTags", true);
    group
        .putObject("tags")
        .put(ClusterConfigRules.NODE_TEMPLATE_LABEL + POOL, pool)
        .put(ClusterConfigRules.NODE_TEMPLATE_LABEL + ClusterConfigRules.CAPACITY_LABEL, capacity)
        .put(ClusterConfigRules.NODE_TEMPLATE_TAINT + POOL, pool + ":NoSchedule");
  }

  private static ObjectNode serviceAccount(String name, String namespace, ObjectNode policy) {
    ObjectNode sa = JSON.objectNode();
    sa.putObject("metadata")
        .put("name", name)
        .put("namespace", namespace)
        .putObject("labels")
        .put("app.kubernetes.io/part-of", "flinkspot");
    sa.set("attachPolicy", policy);
    return sa;
  }

  private static ObjectNode flinkPolicy(PlanRequest request) {
    String bucket = "arn:aws:s3:::" + request.checkpointBucket();
    // MSK IAM access control: cluster, topic and group ARNs carry the cluster's UUID after its
    // name; the wildcard stands for that UUID only.
    String kafka = "arn:aws:kafka:" + request.region() + ":<account>:";
    String cluster = request.mskCluster() + "/*";
    ObjectNode policy = policyDocument();
    ArrayNode statements = policy.putArray("Statement");
    statement(
        statements,
        "CheckpointBucketList",
        List.of("s3:ListBucket", "s3:GetBucketLocation"),
        List.of(bucket));
    statement(
        statements,
        "CheckpointObjects",
        List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
        List.of(bucket + "/*"));
    statement(
        statements,
        "ConnectToCluster",
        List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"),
        List.of(kafka + "cluster/" + cluster));
    statement(
        statements,
        "ReadTopic",
        List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
        List.of(kafka + "topic/" + cluster + "/" + request.kafkaTopic()));
    statement(
        statements,
        "CommitOffsets",
        List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"),
        List.of(kafka + "group/" + cluster + "/" + request.consumerGroup()));
    return policy;
  }

  private static ObjectNode autoscalerPolicy(PlanRequest request) {
    ObjectNode policy = policyDocument();
    ArrayNode statements = policy.putArray("Statement");
    statement(
        statements,
        "Discover",
        List.of(
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup"),
        List.of("*"));
    ObjectNode scale =
        statement(
            statements,
            "ScaleOwnGroups",
            List.of(
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup"),
            List.of("*"));
    scale
        .putObject("Condition")
        .putObject("StringEquals")
        .put("aws:ResourceTag/k8s.io/cluster-autoscaler/" + request.clusterName(), "owned");
    return policy;
  }

  private static ObjectNode policyDocument() {
    ObjectNode policy = JSON.objectNode();
    policy.put("Version", "2012-10-17");
    return policy;
  }

  private static ObjectNode statement(
      ArrayNode statements, String sid, List<String> actions, List<String> resources) {
    ObjectNode s = statements.addObject();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    strings(s.putArray("Action"), actions);
    if (resources.size() == 1) {
      s.put("Resource", resources.get(0));
    } else {
      strings(s.putArray("Resource"), resources);
    }
    return s;
  }

  /** The FlinkSpotPolicy matching the groups' labels and taints (EKS managed node groups). */
  static ObjectNode policy(PlanRequest request, Sizing sizing) {
    ObjectNode policy = JSON.objectNode();
    policy.put("apiVersion", "flinkspot.dev/v1alpha1");
    policy.put("kind", "FlinkSpotPolicy");
    policy
        .putObject("metadata")
        .put("name", PlanRequest.POLICY_NAME)
        .put("namespace", request.namespace());
    ObjectNode spec = policy.putObject("spec");
    spec.putObject("capacityLabels").put("scheme", "EksManagedNodeGroup");
    placement(spec.putObject("jobManager"), ClusterConfigRules.JOBMANAGER);
    ObjectNode tm = JSON.objectNode();
    tm.put("spot", "Required");
    placement(tm, ClusterConfigRules.TASKMANAGER);
    ObjectNode spread = tm.putObject("spread");
    spread.put("maxSkew", 1);
    spread.put("whenUnsatisfiable", "ScheduleAnyway");
    strings(
        spread.putArray("topologyKeys"),
        List.of("topology.kubernetes.io/zone", "node.kubernetes.io/instance-type"));
    spec.set("taskManager", tm);
    // The planned TaskManagers are the floor the ingest rate needs; the HPA may double them.
    ObjectNode scaling = spec.putObject("scaling");
    scaling.put("minTaskManagers", sizing.taskManagers());
    scaling.put("maxTaskManagers", maxTaskManagers(sizing));
    scaling.put("targetCpuUtilizationPercent", TARGET_CPU_PERCENT);
    return policy;
  }

  private static void placement(ObjectNode component, String pool) {
    component.putObject("nodeSelector").put(POOL, pool);
    component
        .putArray("tolerations")
        .addObject()
        .put("key", POOL)
        .put("operator", "Equal")
        .put("value", pool)
        .put("effect", "NoSchedule");
  }

  /** The FlinkDeployment: standalone + reactive, Kubernetes HA, S3 checkpoints, sized TMs. */
  static ObjectNode deployment(PlanRequest request, Sizing sizing) {
    String base = "s3://" + request.checkpointBucket() + "/" + request.deploymentName();
    ObjectNode d = JSON.objectNode();
    d.put("apiVersion", Names.FLINK_DEPLOYMENT_API_VERSION);
    d.put("kind", Names.FLINK_DEPLOYMENT_KIND);
    ObjectNode metadata = d.putObject("metadata");
    metadata.put("name", request.deploymentName());
    metadata.put("namespace", request.namespace());
    metadata.putObject("labels").put("flinkspot.dev/policy", PlanRequest.POLICY_NAME);
    ObjectNode spec = d.putObject("spec");
    spec.put("image", request.resolvedImage());
    spec.put("flinkVersion", "v1_20");
    spec.put("mode", "standalone");
    spec.put("serviceAccount", ClusterConfigRules.FLINK_SERVICE_ACCOUNT);
    ObjectNode conf = spec.putObject("flinkConfiguration");
    conf.put("scheduler-mode", "REACTIVE");
    conf.put("taskmanager.numberOfTaskSlots", String.valueOf(sizing.slotsPerTaskManager()));
    conf.put("pipeline.max-parallelism", String.valueOf(maxParallelism(sizing.parallelism())));
    conf.put("state.backend.type", "rocksdb");
    conf.put("state.backend.incremental", "true");
    conf.put("execution.checkpointing.interval", "30s");
    conf.put("execution.checkpointing.mode", "EXACTLY_ONCE");
    conf.put("state.checkpoints.dir", base + "/checkpoints");
    conf.put("state.savepoints.dir", base + "/savepoints");
    conf.put("high-availability.type", "kubernetes");
    conf.put("high-availability.storageDir", base + "/ha");
    conf.put(FlinkKeys.RESTART_STRATEGY_TYPE, ReactiveDefaults.RESTART_STRATEGY);
    conf.put(FlinkKeys.RESTART_INITIAL_BACKOFF, ReactiveDefaults.RESTART_INITIAL_BACKOFF);
    conf.put(
        FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD,
        ReactiveDefaults.RESTART_RESET_BACKOFF_THRESHOLD);
    conf.put(
        FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT,
        ReactiveDefaults.RESCALE_STABILIZATION_TIMEOUT_V1);
    conf.put("heartbeat.timeout", "15000");
    conf.put("heartbeat.interval", "3000");
    conf.put(
        FlinkKeys.CHECKPOINT_STATISTICS_CACHE_TIMEOUT,
        ReactiveDefaults.CHECKPOINT_STATISTICS_CACHE_TIMEOUT);
    ObjectNode jm = spec.putObject("jobManager");
    jm.put("replicas", 1);
    jm.putObject("resource").put("cpu", 1).put("memory", "2048m");
    ObjectNode tm = spec.putObject("taskManager");
    tm.put("replicas", sizing.taskManagers());
    tm.putObject("resource")
        .put("cpu", sizing.taskManager().cpu())
        .put("memory", sizing.taskManagerMemory());
    // The admission default: a preStop that waits for the checkpoint on a Spot notice.
    TaskManagerDrain.apply(
        spec,
        JobManagerAddress.serviceDns()
            .restBase(
                request.namespace(),
                request.deploymentName(),
                FlinkConfiguration.DEFAULT_REST_PORT));
    ObjectNode job = spec.putObject("job");
    job.put("jarURI", "local:///opt/flink/usrlib/stock-ticker.jar");
    job.put("entryClass", "dev.flinkspot.job.StockTickerJob");
    strings(
        job.putArray("args"),
        List.of(
            "--source",
            "generator",
            "--events",
            "1000000000000",
            "--sink",
            "s3",
            "--output",
            base + "/output"));
    job.put("upgradeMode", "last-state");
    job.put("state", "running");
    return d;
  }

  /** Twice the planned TaskManagers, within the slots the max parallelism can use. */
  static int maxTaskManagers(Sizing sizing) {
    return Math.min(
        2 * sizing.taskManagers(),
        maxParallelism(sizing.parallelism()) / sizing.slotsPerTaskManager());
  }

  /**
   * Key groups for four times the planned parallelism, at least 720 (divisible by 1..6, 8, 9, 10).
   */
  static int maxParallelism(int parallelism) {
    int wanted = Math.max(720, 4 * parallelism);
    return Math.min(32768, Math.floorDiv(wanted + 359, 360) * 360);
  }

  static String yaml(String header, ObjectNode object) {
    try {
      return header + YAML.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Quotes date-like strings too: eksctl reads YAML 1.1, where an unquoted {@code 2012-10-17} (an
   * IAM policy Version) is a timestamp.
   */
  private static final class DateQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || value.matches("\\d{4}-\\d{2}-\\d{2}.*");
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
