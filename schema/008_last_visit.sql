-- 008: the last visit follows from the history. customer.last_visit
-- caches the latest live sale (not a return, not voided) or visit, and
-- every write recomputes it (history_last_visit); here once for the rows
-- older versions moved forward only, or that were set by hand or by the
-- demo generator without a history behind them.

UPDATE customer SET last_visit = (SELECT max(at) FROM (
	SELECT max(occurred_at) AS at FROM purchase
	WHERE customer_id = customer.id AND total > 0 AND voided_at IS NULL
	UNION ALL
	SELECT max(occurred_at) FROM interaction
	WHERE customer_id = customer.id AND kind = 'visit'))
WHERE last_visit IS NOT (SELECT max(at) FROM (
	SELECT max(occurred_at) AS at FROM purchase
	WHERE customer_id = customer.id AND total > 0 AND voided_at IS NULL
	UNION ALL
	SELECT max(occurred_at) FROM interaction
	WHERE customer_id = customer.id AND kind = 'visit'));
