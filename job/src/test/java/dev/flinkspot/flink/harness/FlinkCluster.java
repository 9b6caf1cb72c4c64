package dev.flinkspot.flink.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Flink standalone application cluster (1.20, or 2.x in job-flink2/) as local JVM processes:
 * one JobManager (the standalone application entry point, Reactive Mode) running one job, and any
 * number of TaskManagers that a test starts, stops (SIGTERM) and kills (SIGKILL). Checkpoints go to
 * the local filesystem; the REST API is on a free loopback port.
 *
 * <p>The processes run the Flink classes on this JVM's class path (Maven's test class path), so the
 * job's classes are there too: no Flink distribution to install. Every process is killed by {@link
 * #close()}, by a shutdown hook if the test JVM exits, and by its own {@link ParentWatchdog} if the
 * test JVM dies.
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.builder(workDir)
 *         .job("dev.flinkspot.job.StockTickerJob", "--events", "20000")
 *         .taskManagers(2)
 *         .build()
 *         .start()) {
 *   cluster.awaitRunning(2, Duration.ofSeconds(60));
 *   cluster.kill(cluster.taskManagers().get(0));
 *   cluster.awaitRunning(1, Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class FlinkCluster implements AutoCloseable {
  /**
   * {@code --add-opens} and {@code --add-exports} Flink needs on Java 17 (as Flink's own config).
   */
  public static final List<String> JAVA_17_OPTIONS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** Small JVMs that start fast: two cores are shared by every process of a test. */
  static final List<String> LEAN_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  static final String JOB_MANAGER_MAIN =
      "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private final Builder spec;
  private final Path confDir;
  private final Path logDir;
  private final String jobId = UUID.randomUUID().toString().replace("-", "");
  private final FlinkRest rest;
  private final List<FlinkProcess> taskManagers = new CopyOnWriteArrayList<>();
  private final List<FlinkProcess> all = new CopyOnWriteArrayList<>();
  private final AtomicInteger tmCounter = new AtomicInteger();
  private final Thread shutdownHook = new Thread(this::killAll, "flink-cluster-cleanup");
  private FlinkProcess jobManager;

  private FlinkCluster(Builder spec) {
    this.spec = spec;
    try {
      Files.createDirectories(spec.workDir);
      this.confDir = Files.createDirectories(spec.workDir.resolve("conf"));
      this.logDir = Files.createDirectories(spec.workDir.resolve("logs"));
      int restPort = freePort();
      spec.config.put("rest.port", Integer.toString(restPort));
      spec.config.putIfAbsent("jobmanager.rpc.port", Integer.toString(freePort()));
      spec.config.putIfAbsent(
          "state.checkpoints.dir", spec.workDir.resolve("checkpoints").toUri().toString());
      spec.config.putIfAbsent(
          "io.tmp.dirs", Files.createDirectories(spec.workDir.resolve("tmp")).toString());
      writeConfig();
      this.rest = new FlinkRest(URI.create("http://127.0.0.1:" + restPort + "/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /** Starts the JobManager (which submits the job) and the initial TaskManagers. */
  public FlinkCluster start() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--configDir", confDir.toString()));
    args.addAll(List.of("--job-classname", spec.jobClass, "--job-id", jobId));
    args.addAll(spec.jobArgs);
    jobManager =
        FlinkProcess.start(
            "jobmanager",
            jvmOptions("-Xmx" + spec.jobManagerHeap, "-XX:MaxMetaspaceSize=256m"),
            spec.classpath,
            JOB_MANAGER_MAIN,
            args,
            spec.workDir,
            logDir);
    all.add(jobManager);
    for (int i = 0; i < spec.initialTaskManagers; i++) {
      startTaskManager();
    }
    return this;
  }

  /** Starts one more TaskManager ({@code tm-1}, {@code tm-2}, ... also its resource id). */
  public FlinkProcess startTaskManager() {
    String name = "tm-" + tmCounter.incrementAndGet();
    Map<String, String> c = spec.config;
    long heap =
        mb(c.get("taskmanager.memory.framework.heap.size"))
            + mb(c.get("taskmanager.memory.task.heap.size"));
    long direct =
        mb(c.get("taskmanager.memory.framework.off-heap.size"))
            + mb(c.get("taskmanager.memory.task.off-heap.size"))
            + mb(c.get("taskmanager.memory.network.max"));
    FlinkProcess tm =
        FlinkProcess.start(
            name,
            jvmOptions(
                "-Xmx" + heap + "m",
                "-Xms" + heap + "m",
                "-XX:MaxDirectMemorySize=" + direct + "m",
                "-XX:MaxMetaspaceSize=" + mb(c.get("taskmanager.memory.jvm-metaspace.size")) + "m"),
            spec.classpath,
            TASK_MANAGER_MAIN,
            List.of("--configDir", confDir.toString(), "-D", "taskmanager.resource-id=" + name),
            spec.workDir,
            logDir);
    taskManagers.add(tm);
    all.add(tm);
    return tm;
  }

  /** SIGTERM: the TaskManager says goodbye to the JobManager (a graceful pod deletion). */
  public void stop(FlinkProcess taskManager) {
    stop(taskManager, Duration.ofSeconds(30));
  }

  /**
   * SIGTERM, then SIGKILL if the TaskManager has not exited within {@code grace} (a pod's {@code
   * terminationGracePeriodSeconds}).
   */
  public void stop(FlinkProcess taskManager, Duration grace) {
    taskManager.stop(grace);
    taskManagers.remove(taskManager);
  }

  /** SIGKILL: the TaskManager vanishes without a word (a Spot reclaim). */
  public void kill(FlinkProcess taskManager) {
    taskManager.kill();
    taskManagers.remove(taskManager);
  }

  /** The TaskManagers started and not stopped or killed by the harness. */
  public List<FlinkProcess> taskManagers() {
    return List.copyOf(taskManagers);
  }

  public FlinkProcess jobManager() {
    return jobManager;
  }

  /** The fixed id the job runs under. */
  public String jobId() {
    return jobId;
  }

  public FlinkRest rest() {
    return rest;
  }

  public Path workDir() {
    return spec.workDir;
  }

  /** The effective Flink configuration (as written to {@code conf/config.yaml}). */
  public Map<String, String> config() {
    return Map.copyOf(spec.config);
  }

  /**
   * Waits until the job is RUNNING with every subtask up at {@code parallelism}; returns the
   * details seen. Fails fast if the JobManager process exits.
   */
  public FlinkRest.JobDetails awaitRunning(int parallelism, Duration timeout) {
    return awaitRunningSince(parallelism, 0, timeout);
  }

  /**
   * Like {@link #awaitRunning(int, Duration)}, for an execution that switched to RUNNING at or
   * after {@code sinceEpochMillis}: the job has restarted since then (e.g. since a kill).
   */
  public FlinkRest.JobDetails awaitRunningSince(
      int parallelism, long sinceEpochMillis, Duration timeout) {
    return Await.until(
        "job " + jobId + " RUNNING at parallelism " + parallelism + " since " + sinceEpochMillis,
        timeout,
        () -> {
          assertJobManagerAlive();
          FlinkRest.JobDetails d = rest.job(jobId);
          return d.fullyRunning()
                  && d.parallelism() == parallelism
                  && d.runningSince() >= sinceEpochMillis
              ? Optional.of(d)
              : Optional.empty();
        });
  }

  /** Waits until the job reaches {@code state} (e.g. FINISHED). */
  public void awaitJobState(String state, Duration timeout) {
    Await.untilTrue(
        "job " + jobId + " " + state,
        timeout,
        () -> {
          assertJobManagerAlive();
          return rest.jobState(jobId).filter(state::equals).isPresent();
        });
  }

  /** Waits until {@code numRestarts} reads at least {@code atLeast}; returns what it reads. */
  public long awaitRestarts(long atLeast, Duration timeout) {
    return Await.until(
        "numRestarts >= " + atLeast,
        timeout,
        () -> {
          var n = rest.numRestarts(jobId);
          return n.isPresent() && n.getAsLong() >= atLeast
              ? Optional.of(n.getAsLong())
              : Optional.empty();
        });
  }

  private void assertJobManagerAlive() {
    if (!jobManager.isAlive()) {
      throw new AssertionError("the JobManager exited; see " + jobManager.log());
    }
  }

  /** Kills every process (SIGKILL; nothing here needs a graceful end). Idempotent. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // already shutting down, or never started
    }
  }

  private void killAll() {
    for (FlinkProcess p : all) {
      if (p.isAlive()) {
        p.kill();
      }
    }
    taskManagers.clear();
  }

  private List<String> jvmOptions(String... memory) {
    List<String> o = new ArrayList<>(JAVA_17_OPTIONS);
    o.addAll(LEAN_JVM);
    o.addAll(List.of(memory));
    o.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties"));
    o.addAll(spec.extraJvmOptions);
    return o;
  }

  private void writeConfig() throws IOException {
    StringBuilder yaml = new StringBuilder("# Written by the flinkspot test harness.\n");
    spec.config.forEach(
        (k, v) ->
            yaml.append(k)
                .append(": \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n"));
    Files.writeString(confDir.resolve("config.yaml"), yaml);
    Files.writeString(
        confDir.resolve("log4j.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %t %c{1} - %m%n",
            "logger.pekko.name = org.apache.pekko",
            "logger.pekko.level = WARN",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            ""));
  }

  static long mb(String size) {
    String s = size.trim().toLowerCase();
    if (s.endsWith("mb")) {
      return Long.parseLong(s.substring(0, s.length() - 2).trim());
    }
    if (s.endsWith("m")) {
      return Long.parseLong(s.substring(0, s.length() - 1).trim());
    }
    if (s.endsWith("g")) {
      return Long.parseLong(s.substring(0, s.length() - 1).trim()) * 1024;
    }
    throw new IllegalArgumentException("harness sizes are written as <n>m or <n>g: " + size);
  }

  /**
   * A free port below Linux's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by
   * default). A port the kernel hands out for {@code new ServerSocket(0)} comes from that range,
   * and so does the local port of every outgoing connection on the machine: between closing the
   * probe and Flink binding it, another process's connection took one (a JobManager failed with
   * "Could not start rest endpoint on any port"). Ports below the range are only ever bound on
   * purpose.
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FIRST_PORT + RANDOM.nextInt(LAST_PORT - FIRST_PORT);
      try (ServerSocket s = new ServerSocket(port)) {
        s.setReuseAddress(true);
        return port;
      } catch (IOException inUse) {
        // taken: try another
      }
    }
    throw new IOException("no free port in " + FIRST_PORT + ".." + LAST_PORT);
  }

  private static final int FIRST_PORT = 20_000;
  private static final int LAST_PORT = 32_000;
  private static final java.util.Random RANDOM = new java.util.Random();

  /** What cluster to start: the job, the TaskManagers, and any Flink option. */
  public static final class Builder {
    private final Path workDir;
    private final Map<String, String> config = new LinkedHashMap<>();
    private final List<String> jobArgs = new ArrayList<>();
    private final List<String> extraJvmOptions = new ArrayList<>();
    private String jobClass;
    private int initialTaskManagers = 1;
    private String jobManagerHeap = "320m";
    private String classpath = System.getProperty("java.class.path");

    private Builder(Path workDir) {
      this.workDir = workDir.toAbsolutePath();
      // Loopback only, Reactive Mode, fast REST views, and memory for a 2-core, 24 GiB machine.
      config.put("jobmanager.rpc.address", "localhost");
      config.put("jobmanager.bind-host", "localhost");
      config.put("taskmanager.bind-host", "localhost");
      config.put("taskmanager.host", "localhost");
      config.put("rest.address", "localhost");
      config.put("rest.bind-address", "localhost");
      config.put("scheduler-mode", "reactive");
      config.put("taskmanager.numberOfTaskSlots", "1");
      config.put("execution.shutdown-on-application-finish", "false");
      config.put("execution.checkpointing.interval", "10s");
      config.put("state.backend.type", "hashmap");
      config.put("restart-strategy.type", "fixed-delay");
      config.put("restart-strategy.fixed-delay.attempts", "1000000");
      config.put("restart-strategy.fixed-delay.delay", "1s");
      config.put("metrics.fetcher.update-interval", "500");
      config.put("web.refresh-interval", "500");
      config.put("rest.cache.checkpoint-statistics.timeout", "500ms");
      // Bounds the metric fetcher's wait on a killed TaskManager (default 10 min), during which
      // the REST metrics (numRestarts, ...) would not refresh.
      config.put("web.timeout", "10000");
      // Flink's start scripts compute these; started directly, a TaskManager needs them set.
      config.put("taskmanager.cpu.cores", "1.0");
      config.put("taskmanager.memory.framework.heap.size", "64m");
      config.put("taskmanager.memory.task.heap.size", "128m");
      config.put("taskmanager.memory.managed.size", "64m");
      config.put("taskmanager.memory.framework.off-heap.size", "64m");
      config.put("taskmanager.memory.task.off-heap.size", "0m");
      config.put("taskmanager.memory.network.min", "32m");
      config.put("taskmanager.memory.network.max", "32m");
      config.put("taskmanager.memory.jvm-metaspace.size", "192m");
      config.put("taskmanager.memory.jvm-overhead.min", "64m");
      config.put("taskmanager.memory.jvm-overhead.max", "64m");
    }

    /** The job's main class (on the class path) and its arguments. */
    public Builder job(String mainClass, String... args) {
      this.jobClass = mainClass;
      this.jobArgs.clear();
      this.jobArgs.addAll(List.of(args));
      return this;
    }

    /** How many TaskManagers {@link FlinkCluster#start()} starts (default 1). */
    public Builder taskManagers(int n) {
      this.initialTaskManagers = n;
      return this;
    }

    public Builder slotsPerTaskManager(int n) {
      return set("taskmanager.numberOfTaskSlots", Integer.toString(n));
    }

    /** {@code heartbeat.interval} and {@code heartbeat.timeout}; unset = Flink's 10 s / 50 s. */
    public Builder heartbeat(Duration interval, Duration timeout) {
      set("heartbeat.interval", Long.toString(interval.toMillis()));
      return set("heartbeat.timeout", Long.toString(timeout.toMillis()));
    }

    /**
     * The adaptive scheduler's timing, under the key names of the Flink on the class path (Flink
     * 2.0 renamed them, FLIP-472): {@code stabilization} is how long resources must be stable
     * before the job starts and, on 2.x, before a running job rescales ({@code
     * executing.resource-stabilization-timeout}, 1 min by default there); {@code cooldown} the
     * minimum time between two rescales.
     */
    public Builder adaptiveScheduler(Duration stabilization, Duration cooldown) {
      String stable = stabilization.toMillis() + "ms";
      String cool = cooldown.toMillis() + "ms";
      String prefix = "jobmanager.adaptive-scheduler.";
      if (FlinkVersion.isTwo()) {
        set(prefix + "submission.resource-stabilization-timeout", stable);
        set(prefix + "executing.resource-stabilization-timeout", stable);
        return set(prefix + "executing.cooldown-after-rescaling", cool);
      }
      set(prefix + "resource-stabilization-timeout", stable);
      return set(prefix + "scaling-interval.min", cool);
    }

    /** Any Flink option, written to the cluster's {@code config.yaml}. */
    public Builder set(String key, String value) {
      config.put(key, value);
      return this;
    }

    /** Removes an option, e.g. {@code scheduler-mode} for the default (non-Reactive) scheduler. */
    public Builder unset(String key) {
      config.remove(key);
      return this;
    }

    /** The class path of the Flink processes (default: this JVM's). */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    public Builder jobManagerHeap(String heap) {
      this.jobManagerHeap = heap;
      return this;
    }

    public Builder jvmOption(String option) {
      extraJvmOptions.add(option);
      return this;
    }

    public FlinkCluster build() {
      if (jobClass == null) {
        throw new IllegalStateException("no job: call job(mainClass, args...)");
      }
      return new FlinkCluster(this);
    }
  }
}
