package dev.flinkspot.flink.harness;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of every harness process: {@code ParentWatchdog <parentPid> <mainClass> args...}.
 * It halts the JVM as soon as the process that started it is gone, so a test JVM that dies without
 * running its shutdown hooks (SIGKILL, a crashed fork) leaves no Flink process behind; then it runs
 * {@code mainClass}.
 */
public final class ParentWatchdog {
  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    long parentPid = Long.parseLong(args[0]);
    Thread watchdog =
        new Thread(
            () -> {
              while (true) {
                boolean alive =
                    ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                  Runtime.getRuntime().halt(143);
                }
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "flinkspot-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }
}
