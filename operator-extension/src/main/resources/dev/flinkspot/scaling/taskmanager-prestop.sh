# flinkspot TaskManager preStop: wait for the checkpoint the controller triggers on a Spot notice,
# then let the eviction's SIGTERM through. $1: the JobManager REST base URL. POSIX sh (dash).
# Every second waited after that checkpoint completes is replayed, so return as soon as it has.
b=$1
sleep 5 & f=$!   # without REST answers: the former fixed preStop, 5 s
sleep 2 & m=$!   # the least wait: the controller's trigger may not have arrived yet
sleep 20 & w=$!  # the most: inside the default terminationGracePeriodSeconds, 30 s
trap 'kill $f $m $w 2>/dev/null' EXIT
fallback() { wait $f; exit 0; }
get() { curl -sf -m 1 "$b$1"; }
# GET /jobs: {"jobs":[{"id":"<hex>","status":"RUNNING"},...]}
id=$(get /jobs | grep -o '"id":"[0-9a-f]*","status":"RUNNING"' | cut -d'"' -f4 | head -n 1)
[ -n "$id" ] || fallback  # no curl, no JobManager, or no RUNNING job
while kill -0 $w 2>/dev/null; do
  # GET /jobs/<id>/checkpoints: {"counts":{...,"in_progress":N,"completed":N,...},...}, cached
  # rest.cache.checkpoint-statistics.timeout (the admission defaults: 500 ms; Flink's: 3 s)
  n=$(get "/jobs/$id/checkpoints" | grep -o '"counts":{[^}]*}') || fallback
  busy=$(echo "$n" | sed -n 's/.*"in_progress":\([0-9][0-9]*\).*/\1/p')
  completed=$(echo "$n" | sed -n 's/.*"completed":\([0-9][0-9]*\).*/\1/p')
  [ -n "$busy" ] && [ -n "$completed" ] || fallback
  first=${first:-$completed}
  # Done: none in progress and one completed since the start, or none since the least wait.
  if [ "$busy" = 0 ] && { [ "$completed" -gt "$first" ] || ! kill -0 $m 2>/dev/null; }; then
    exit 0
  fi
  sleep 0.5
done
