/**
 * Whether a database error is about the data (SQLSTATE class 22, data exception, or 23,
 * integrity constraint violation), so retrying the same rows can never succeed, as opposed to
 * the database being unreachable, restarting or overloaded, which a retry outlasts.
 * Both drivers put the SQLSTATE in `code`.
 */
export function isDataError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // 21000 (cardinality violation): one upsert touching a row twice, which the same rows repeat.
  return typeof code === 'string' && (/^2[23][0-9A-Z]{3}$/.test(code) || code === '21000');
}
