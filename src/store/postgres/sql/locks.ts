/**
 * Keys of the transaction-level advisory locks this backend takes. Advisory locks are per
 * database, so another application sharing the server is not affected.
 */
export const MIGRATION_LOCK = 0x6f75_7401;
/**
 * Taken first by every transaction that stores events (acceptance, session changes) and by a
 * recipient's deletion; held until commit.
 *
 * Why: a lane reads its deliveries in seq order (seq = event id) and never looks back, so ids
 * must grow in COMMIT order. A PostgreSQL sequence alone does not give that: a transaction can
 * take id 10, another take 11 and commit first, and a lane that already sent 11 would skip 10.
 * Under this lock ids are taken and committed one transaction at a time, and a lock is released
 * only once its commit is visible. It serializes acceptances across every process, which costs
 * little: the GroupCommitter already turns concurrent requests into one transaction per flush,
 * so the lock is taken once per batch, not per event. (The alternative, seqs per recipient
 * under a row lock on the recipient, serializes just as much when, as usual, every recipient
 * subscribes to most events, and writes every recipient row on each acceptance.)
 *
 * A deletion takes it so that no acceptance queues for a recipient it read just before the
 * deletion committed (the foreign key would fail the whole batch).
 */
export const ACCEPTANCE_LOCK = 0x6f75_7402;

export const LOCK = `SELECT pg_advisory_xact_lock($1)`;
