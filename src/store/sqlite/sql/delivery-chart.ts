/**
 * A recipient's 200s and failed attempts per bucket of [@from, @to), in one statement: each
 * side is grouped on its own index range (migration delivery-chart) and the two are merged.
 * A 200 counts once, at its last delivery: a replay clears delivered_at until it is sent again.
 */
export const DELIVERY_BUCKETS = `
SELECT @from + b * @bucket AS start, sum(delivered) AS delivered, max(mean) AS mean,
  max(longest) AS longest, sum(failed) AS failed
FROM (
  SELECT CAST((delivered_at - @from) / @bucket AS INTEGER) AS b, count(*) AS delivered,
    avg(last_latency_ms) AS mean, max(last_latency_ms) AS longest, 0 AS failed
  FROM deliveries
  WHERE recipient_id = @recipient_id AND delivered_at >= @from AND delivered_at < @to
  GROUP BY b
  UNION ALL
  SELECT CAST((at - @from) / @bucket AS INTEGER), 0, NULL, NULL, count(*)
  FROM attempts
  WHERE recipient_id = @recipient_id AND at >= @from AND at < @to
  GROUP BY 1
)
GROUP BY b ORDER BY b`;
