package dev.flinkspot.cost.bill;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.ManagedFlinkBill;
import dev.flinkspot.cost.bill.BillQueries.TagKeys;
import dev.flinkspot.cost.catalog.RegionPriceView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an AWS Data Exports file or folder with DuckDB, in-process (its JDBC driver reads Parquet,
 * CSV and gzip CSV natively and aggregates off the Java heap), and attributes the cost to
 * FlinkDeployments by their pods' labels imported as cost allocation tags.
 */
public final class BillReader {
  /** Native memory DuckDB may use before it spills to disk. */
  static final String MEMORY_LIMIT = "1GB";

  /**
   * CUR 2.0 writes imported labels as map keys {@code user_<label>}; EKS adds {@code aws_eks_*}.
   */
  public static final TagKeys CUR_TAGS =
      new TagKeys("user_app", "user_component", "user_flinkspot_dev_policy", "aws_eks_namespace");

  /** FOCUS keeps the tag keys as written: {@code user:<label>}, {@code aws:eks:*}. */
  public static final TagKeys FOCUS_TAGS =
      new TagKeys("user:app", "user:component", "user:flinkspot.dev/policy", "aws:eks:namespace");

  /**
   * @param tags the tag keys to read, or null for the format's defaults
   * @param slotsPerTaskManager slots of one TaskManager: parallelism = TaskManagers x slots
   */
  public record Options(
      TagKeys tags, int slotsPerTaskManager, CostOptions costOptions, RegionPriceView prices) {}

  private BillReader() {}

  public static BillReport read(String path, Options options) {
    return read(path, path, options);
  }

  /**
   * Reads the export at {@code path}; messages name it as {@code shownAs} (the s3:// address it was
   * downloaded from).
   */
  public static BillReport read(String path, String shownAs, Options options) {
    String origin = "--export " + shownAs;
    ExportFiles files = ExportFiles.resolve(path, origin);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
      sql.execute("SET preserve_insertion_order = false");
      Map<String, String> columns = describe(sql, files.tableFunction(), origin);
      ExportFormat format = detect(columns.keySet(), origin);
      for (String required : format.required) {
        if (!columns.containsKey(required)) {
          throw new UserInputException(
              origin
                  + ": column "
                  + required
                  + " is missing: a "
                  + format.label
                  + " export needs it; include it in the export's columns (the default selection has it)");
        }
      }
      String currency = currency(sql, files.tableFunction(), format.currencyColumn, origin);
      TagKeys tags =
          options.tags() != null
              ? options.tags()
              : format == ExportFormat.CUR_2_0 ? CUR_TAGS : FOCUS_TAGS;
      sql.execute(BillQueries.normalisedView(format, columns, files.tableFunction(), tags));
      return attribute(sql, format, files, currency, columns, options, tags);
    } catch (SQLException e) {
      throw new UserInputException(
          origin + ": DuckDB could not read it: " + YamlFiles.firstLine(e.getMessage()), e);
    }
  }

  private static Map<String, String> describe(Statement sql, String source, String origin) {
    Map<String, String> columns = new LinkedHashMap<>();
    try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        columns.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    } catch (SQLException e) {
      throw new UserInputException(
          origin
              + ": not a readable Parquet or CSV export ("
              + YamlFiles.firstLine(e.getMessage())
              + "): check the files are complete");
    }
    return columns;
  }

  private static ExportFormat detect(java.util.Set<String> columns, String origin) {
    for (ExportFormat f : ExportFormat.values()) {
      if (columns.contains(f.marker)) {
        return f;
      }
    }
    throw new UserInputException(
        origin
            + ": unknown format: neither CUR 2.0 (no line_item_unblended_cost column) nor FOCUS 1.x"
            + " (no BilledCost column); export CUR 2.0 with split cost allocation data, or FOCUS");
  }

  private static String currency(Statement sql, String source, String column, String origin)
      throws SQLException {
    List<String> seen = new ArrayList<>();
    try (ResultSet rs =
        sql.executeQuery(
            "SELECT DISTINCT "
                + column
                + " FROM "
                + source
                + " WHERE "
                + column
                + " IS NOT NULL AND "
                + column
                + " <> '' ORDER BY 1 LIMIT 5")) {
      while (rs.next()) {
        seen.add(rs.getString(1));
      }
    }
    if (seen.size() > 1) {
      throw new UserInputException(
          origin
              + ": mixed currency in "
              + column
              + " ("
              + String.join(", ", seen)
              + "): pass the files of one currency at a time");
    }
    if (seen.isEmpty()) {
      throw new UserInputException(
          origin + ": no rows with a " + column + ": the export is empty or not a cost export");
    }
    return seen.get(0);
  }

  private static BillReport attribute(
      Statement sql,
      ExportFormat format,
      ExportFiles files,
      String currency,
      Map<String, String> columns,
      Options options,
      TagKeys tags)
      throws SQLException {
    long rows;
    LocalDate first;
    LocalDate last;
    try (ResultSet rs =
        sql.executeQuery("SELECT count(*), min(start_ts)::DATE, max(start_ts)::DATE FROM r")) {
      rs.next();
      rows = rs.getLong(1);
      first = rs.getObject(2, LocalDate.class);
      last = rs.getObject(3, LocalDate.class);
    }
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal spot = BigDecimal.ZERO;
    BigDecimal onDemand = BigDecimal.ZERO;
    Map<String, BigDecimal> shared = new TreeMap<>();
    Map<String, BigDecimal> adjustments = new TreeMap<>();
    Map<String, JobSums> jobs = new TreeMap<>();
    Map<String, BigDecimal> daily = new TreeMap<>();
    try (ResultSet rs = sql.executeQuery(BillQueries.COSTS)) {
      while (rs.next()) {
        LocalDate day = rs.getObject("day", LocalDate.class);
        String bucket = rs.getString("bucket");
        String capacity = rs.getString("capacity");
        BigDecimal usd = rs.getBigDecimal("usd");
        total = total.add(usd);
        if (bucket.startsWith("adjustment:")) {
          capacity = null; // a refund or credit is not instance usage
        }
        if ("Spot".equals(capacity)) {
          spot = spot.add(usd);
        } else if ("On-Demand".equals(capacity)) {
          onDemand = onDemand.add(usd);
        }
        if (bucket.startsWith("adjustment:")) {
          adjustments.merge(bucket.substring("adjustment:".length()), usd, BigDecimal::add);
        } else if (bucket.startsWith("shared:")) {
          shared.merge(bucket.substring("shared:".length()), usd, BigDecimal::add);
        } else {
          String job = jobName(rs.getString("namespace"), rs.getString("job"));
          String component = rs.getString("component");
          JobSums j = jobs.computeIfAbsent(job, k -> new JobSums());
          if (rs.getString("policy") != null) {
            j.policy = rs.getString("policy");
          }
          if (component.equals("jobmanager")) {
            j.jobManager = j.jobManager.add(usd);
          } else {
            j.taskManager = j.taskManager.add(usd);
          }
          if ("Spot".equals(capacity)) {
            j.spot = j.spot.add(usd);
          } else if ("On-Demand".equals(capacity)) {
            j.onDemand = j.onDemand.add(usd);
          }
          daily.merge(day + "\t" + job + "\t" + component, usd, BigDecimal::add);
        }
      }
    }
    BillReport.SplitCheck check;
    try (ResultSet rs = sql.executeQuery(BillQueries.SPLIT_CHECK)) {
      rs.next();
      check = new BillReport.SplitCheck(rs.getLong("lines"), rs.getBigDecimal("worst"));
    }
    managedFlink(sql, jobs, daily, options);

    List<BillReport.JobBill> jobBills = new ArrayList<>();
    jobs.forEach(
        (name, j) ->
            jobBills.add(
                new BillReport.JobBill(
                    name,
                    j.policy,
                    j.jobManager,
                    j.taskManager,
                    j.spot,
                    j.onDemand,
                    j.podHours,
                    j.hours,
                    j.hours == 0 ? 0 : j.parallelismHours / j.hours,
                    j.managed)));
    List<BillReport.DailyCost> days = new ArrayList<>();
    daily.forEach(
        (k, v) -> {
          String[] p = k.split("\t", 3);
          days.add(new BillReport.DailyCost(LocalDate.parse(p[0]), p[1], p[2], v));
        });
    List<String> assumptions = new ArrayList<>();
    assumptions.add(
        format.label
            + ": "
            + files.files().size()
            + " "
            + (files.parquet() ? "Parquet" : "CSV")
            + " file(s), "
            + rows
            + " rows, read with DuckDB "
            + duckDbVersion(sql));
    assumptions.add(
        "jobs by pod labels imported as cost allocation tags: "
            + tags.app()
            + " (FlinkDeployment), "
            + tags.component()
            + " (jobmanager/taskmanager), "
            + tags.policy()
            + ", namespace "
            + tags.namespace()
            + (columns.containsKey("resource_tags") || columns.containsKey("Tags")
                ? ""
                : "; the export has no tag column, so no job is recognised"));
    if (format == ExportFormat.CUR_2_0
        && !columns.keySet().containsAll(ExportFormat.SPLIT_COLUMNS)) {
      assumptions.add(
          "no split cost allocation data in the export: pods are not priced; enable it for EKS"
              + " and include the split_line_item_* columns");
    }
    if (format == ExportFormat.FOCUS_1) {
      assumptions.add(
          "FOCUS has no per-pod split: only instances tagged with the job's labels (dedicated"
              + " node groups) are attributed to it");
    }
    assumptions.add(
        "split instance lines are replaced by their pods' split cost; the unused part of each node"
            + " is the shared 'idle share of nodes'");
    assumptions.add(
        "MSF: each usage period at the TaskManagers that ran × "
            + options.slotsPerTaskManager()
            + " slots (--slots) as parallelism, ParallelismPerKPU "
            + options.costOptions().parallelismPerKpu()
            + ", "
            + options.prices().region()
            + " list prices as of "
            + options.prices().asOf()
            + "; FlinkCostReport history is not read yet");
    return new BillReport(
        format.label,
        files.files().size(),
        rows,
        currency,
        first,
        last,
        total,
        jobBills,
        shared,
        adjustments,
        spot,
        onDemand,
        check,
        days,
        assumptions);
  }

  private static void managedFlink(
      Statement sql, Map<String, JobSums> jobs, Map<String, BigDecimal> daily, Options options)
      throws SQLException {
    CostOptions perHour = options.costOptions().withHours(BigDecimal.ONE);
    Map<Integer, BigDecimal> rates = new HashMap<>();
    try (ResultSet rs = sql.executeQuery(BillQueries.TASK_MANAGERS)) {
      while (rs.next()) {
        String job = jobName(rs.getString("namespace"), rs.getString("job"));
        LocalDateTime start = rs.getObject("start_ts", LocalDateTime.class);
        LocalDateTime end = rs.getObject("end_ts", LocalDateTime.class);
        int taskManagers = rs.getInt("taskmanagers");
        double hours = java.time.Duration.between(start, end).toSeconds() / 3600.0;
        if (hours <= 0) {
          continue;
        }
        int parallelism = taskManagers * options.slotsPerTaskManager();
        BigDecimal rate =
            rates.computeIfAbsent(
                parallelism,
                p ->
                    ManagedFlinkBill.forParallelism(p, perHour, options.prices())
                        .bill()
                        .totalUsd());
        BigDecimal usd = rate.multiply(BigDecimal.valueOf(hours), MathContext.DECIMAL64);
        JobSums j = jobs.computeIfAbsent(job, k -> new JobSums());
        j.managed = j.managed.add(usd);
        j.hours += hours;
        j.podHours += taskManagers * hours;
        j.parallelismHours += parallelism * hours;
        daily.merge(start.toLocalDate() + "\t" + job + "\tMSF", usd, BigDecimal::add);
      }
    }
  }

  private static String jobName(String namespace, String app) {
    return namespace == null ? app : namespace + "/" + app;
  }

  private static String duckDbVersion(Statement sql) throws SQLException {
    try (ResultSet rs = sql.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static final class JobSums {
    String policy;
    BigDecimal jobManager = BigDecimal.ZERO;
    BigDecimal taskManager = BigDecimal.ZERO;
    BigDecimal spot = BigDecimal.ZERO;
    BigDecimal onDemand = BigDecimal.ZERO;
    BigDecimal managed = BigDecimal.ZERO;
    double hours;
    double podHours;
    double parallelismHours;
  }
}
