#!/usr/bin/env bash
# Prints what a JFR recording says about where a benchmark's time went, as markdown bullet lines:
# GC pauses, the JVM's CPU next to the machine's, blocking socket reads by remote port (PostgreSQL 5432,
# MariaDB 3306, ...: time spent waiting for a server), long parks (a Redis reply awaited) and the hottest
# Beacon frames.
# Used by run.sh and by hand:  benchmarks/jfr-summary.sh recording.jfr [cores]
# Record with -XX:StartFlightRecording=settings=profile,filename=<file> (socket reads of >= 10 ms are kept).
set -euo pipefail
JFR="$1"
CORES="${2:-$(nproc)}"
jfr print --events jdk.GarbageCollection "$JFR" | awk '
  /name = / { n++ } /longestPause = / { v = $3; if ($4 == "s") v *= 1000; if ($4 == "us") v /= 1000; s += v; if (v > m) m = v }
  END { printf "- GC: %d collections, pauses %.0f ms in total, longest %.1f ms\n", n, s, m }'
jfr print --events jdk.CPULoad "$JFR" | awk -v cores="$CORES" '
  /jvmUser = / { u += $3 } /jvmSystem = / { y += $3 } /machineTotal = / { t += $3; n++ }
  END { if (n) printf "- CPU: the JVM used %.0f %% of the machine'"'"'s CPU time on average (user + system; the machine has %s cores) while the machine was %.0f %% busy (%d one-second samples)\n", (u + y) / n, cores, t / n, n }'
# By port and the innermost Beacon frame waiting, so a listener blocked on purpose (LISTEN/NOTIFY) is told
# apart from a worker waiting for a statement's answer.
jfr print --events jdk.SocketRead --stack-depth 24 "$JFR" | awk '
  /jdk.SocketRead/ { port = ""; frame = "(no Beacon frame)"; found = 0 }
  /port = / { port = $3 } /duration = / { v = $3; if ($4 == "s") v *= 1000; if ($4 == "us") v /= 1000; d = v }
  /org\.projectbeacon/ && !found { frame = $0; sub(/^[ \t]+/, "", frame); sub(/\(.*/, "", frame); found = 1 }
  /^}/ { if (port != "") { k = "port " port ", in " frame; total[k] += d; count[k]++; if (d > max[k]) max[k] = d } port = "" }
  END { for (k in total) printf "%.0f\t- socket reads of >= the threshold (%s): %d, %.0f ms in total, longest %.0f ms\n", total[k], k, count[k], total[k], max[k] }' \
  | sort -rn | head -8 | cut -f2-
# Lettuce reads Redis on netty channels, which record no jdk.SocketRead: a worker waiting for Redis shows as
# a park (>= the threshold) under the Beacon frame that waits for the reply, e.g. RedisStreamSink.sendChunks.
jfr print --events jdk.ThreadPark --stack-depth 24 "$JFR" | awk '
  /jdk.ThreadPark/ { frame = ""; found = 0; d = 0 }
  /duration = / { v = $3; if ($4 == "s") v *= 1000; if ($4 == "us") v /= 1000; d = v }
  /org\.projectbeacon/ && !found { frame = $0; sub(/^[ \t]+/, "", frame); sub(/\(.*/, "", frame); found = 1 }
  /^}/ { if (frame != "") { total[frame] += d; count[frame]++; if (d > max[frame]) max[frame] = d } frame = "" }
  END { for (k in total) printf "%.0f\t- parked (>= the threshold) in %s: %d, %.0f ms in total, longest %.0f ms\n", total[k], k, count[k], total[k], max[k] }' \
  | sort -rn | head -6 | cut -f2-
jfr print --events jdk.ExecutionSample --stack-depth 20 "$JFR" | awk '
  /jdk.ExecutionSample/ { inside = 1; found = 0; n++ }
  inside && /org\.projectbeacon/ && !found { sub(/^[ \t]+/, ""); sub(/ line:.*/, ""); top[$0]++; found = 1 }
  /^}/ { inside = 0 }
  END { k = 0; for (f in top) { order[++k] = f }
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (top[order[j]] > top[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
        printf "- execution samples: %d; the innermost Beacon frame of the most:", n
        for (i = 1; i <= k && i <= 5; i++) printf " %s (%d)%s", order[i], top[order[i]], i < k && i < 5 ? ";" : ""
        print "" }'
