package voting.audit;

import java.lang.management.ManagementFactory;

/**
 * With -Dvoting.audit.timing=true, prints when each phase of an audit ended, in wall-clock time and in CPU time of
 * the whole process (for tuning: on a shared machine the CPU time is the steadier measure).
 */
final class Timing {

    private static final boolean ON = Boolean.getBoolean("voting.audit.timing");
    private static final long START = System.nanoTime();

    private Timing() {
    }

    static void mark(String phase) {
        if (ON) {
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            System.err.printf("%8.3f s wall %8.3f s cpu  %s%n", (System.nanoTime() - START) / 1e9, cpu / 1e9, phase);
        }
    }

    /** The CPU time of each live thread, summed by name without its number (main, verify-, ...). */
    static void threads() {
        if (!ON) {
            return;
        }
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                byName.merge(info.getThreadName().replaceAll("\\d+$", ""),
                        threads.getThreadCpuTime(info.getThreadId()) / 1e9, Double::sum);
            }
        }
        byName.forEach((name, seconds) -> {
            if (seconds > 0.05) {
                System.err.printf("          %8.3f s cpu  thread %s%n", seconds, name);
            }
        });
    }
}
