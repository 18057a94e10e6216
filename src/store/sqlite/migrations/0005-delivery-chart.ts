/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'delivery-chart';

export const sql = `
-- A recipient's chart reads its last hour or day by time, not its whole history. Only
-- delivered rows are in the first index (one more entry per 200, none per pending event);
-- attempts hold failures only, so the second costs nothing on the path of a 200.
CREATE INDEX deliveries_delivered_at ON deliveries (recipient_id, delivered_at)
  WHERE delivered_at IS NOT NULL;
CREATE INDEX attempts_at ON attempts (recipient_id, at);
`;
