/**
 * A recipient's 200s and failed attempts per bucket of [$2, $3) of $4 ms, in one statement:
 * each side is grouped on its own index range (migration delivery-chart) and the two are
 * merged. A 200 counts once, at its last delivery: a replay clears delivered_at until it is
 * sent again.
 */
export const DELIVERY_BUCKETS = `
SELECT $2::bigint + b * $4::bigint AS start, sum(delivered)::bigint AS delivered,
  max(mean) AS mean, max(longest) AS longest, sum(failed)::bigint AS failed
FROM (
  SELECT (delivered_at - $2::bigint) / $4::bigint AS b, count(*) AS delivered,
    avg(last_latency_ms) AS mean, max(last_latency_ms) AS longest, 0 AS failed
  FROM deliveries
  WHERE recipient_id = $1 AND delivered_at >= $2 AND delivered_at < $3
  GROUP BY 1
  UNION ALL
  SELECT (at - $2::bigint) / $4::bigint, 0, NULL, NULL, count(*)
  FROM attempts
  WHERE recipient_id = $1 AND at >= $2 AND at < $3
  GROUP BY 1
) AS buckets
GROUP BY b ORDER BY b`;
