/**
 * Application-like SQL for the generated benchmark logs: a handful of query shapes filled with
 * varied literals (numbers, quoted strings with escapes, dates, IN lists of any length), some of
 * them spread over several lines, as an ORM or a hand-written report sends them.
 */

export type Random = () => number;

export const USERS = ['app_user', 'report_user', 'admin', 'etl_loader', 'billing_svc', 'readonly'] as const;
export const DATABASES = ['shop', 'analytics', 'billing', 'inventory', 'auth'] as const;
const STATUSES = ['new', 'paid', 'shipped', 'cancelled', 'refunded'];
const NAMES = ['Ada Lovelace', "Liam O\\'Brien", 'Yuki Tanaka', 'Joao Silva', 'Mia Schmidt', 'Grace Hopper'];
const ACTIONS = ['login', 'logout', 'checkout', 'refund', 'export'];

export const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
export const ipOf = (random: Random) => `10.0.${between(random, 0, 15)}.${between(random, 2, 254)}`;

const dateOf = (random: Random) =>
  `2026-${String(between(random, 1, 11)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}`;
const dateTimeOf = (random: Random) =>
  `${dateOf(random)} ${String(between(random, 0, 23)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}:00`;
const priceOf = (random: Random) => `${between(random, 1, 999)}.${String(between(random, 0, 99)).padStart(2, '0')}`;

function list(random: Random, low: number, high: number, item: () => string): string {
  return Array.from({ length: between(random, low, high) }, item).join(', ');
}

type Shape = (random: Random) => string;

const SHAPES: readonly Shape[] = [
  (r) =>
    `SELECT id, status, total FROM orders WHERE customer_id = ${between(r, 1, 500000)} AND status = '${pick(r, STATUSES)}'`,
  (r) =>
    `SELECT id, sku, title, price FROM products WHERE id IN (${list(r, 1, 40, () => String(between(r, 1, 90000)))})`,
  (r) =>
    `UPDATE orders SET status = '${pick(r, STATUSES)}', updated_at = '${dateTimeOf(r)}' WHERE id = ${between(r, 1, 9000000)}`,
  (r) =>
    `INSERT INTO order_items (order_id, product_id, qty, price) VALUES ${list(r, 1, 8, () => `(${between(r, 1, 9000000)}, ${between(r, 1, 90000)}, ${between(r, 1, 9)}, ${priceOf(r)})`)}`,
  (r) => `DELETE FROM sessions WHERE expires_at < '${dateTimeOf(r)}' LIMIT 1000`,
  (r) =>
    `SELECT c.name, SUM(o.total) AS spent\nFROM customers c\n  JOIN orders o ON o.customer_id = c.id\nWHERE o.created_at >= '${dateOf(r)}'\n  AND c.tier IN ('gold', 'silver')\nGROUP BY c.name\nORDER BY spent DESC\nLIMIT ${between(r, 10, 100)}`,
  (r) => `SELECT email, city FROM customers WHERE name = '${pick(r, NAMES)}' AND created_at > '${dateOf(r)}'`,
  (r) =>
    `INSERT INTO audit_events (actor, action, payload) VALUES ('${pick(r, USERS)}', '${pick(r, ACTIONS)}', '{"order":${between(r, 1, 9000000)},"note":"left at door, ring twice"}')`,
  (r) =>
    `/* app:checkout */ SELECT COUNT(*) FROM events WHERE type IN (${list(r, 2, 6, () => `'${pick(r, ACTIONS)}'`)}) AND ts BETWEEN ${between(r, 1700000000, 1790000000)} AND ${between(r, 1790000000, 1800000000)}`,
  (r) => `CALL refresh_customer_stats(${between(r, 1, 500000)}, 0x${between(r, 0x1000, 0xffffff).toString(16)})`,
  (r) =>
    `SELECT * FROM inventory.stock WHERE warehouse_id = ${between(r, 1, 40)} AND sku LIKE 'SKU-${between(r, 1, 99)}%' FOR UPDATE`,
  () => 'COMMIT',
];

/** One statement without its terminating semicolon; it may span several lines. */
export function statementOf(random: Random): string {
  return pick(random, SHAPES)(random);
}
