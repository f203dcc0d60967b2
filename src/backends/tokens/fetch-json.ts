/** A bounded JSON fetch: a dead, slow or garbled endpoint is an Unavailable error, never a hang. */

export class Unavailable extends Error {
  override name = 'Unavailable';
}

export async function fetchJson(url: string, init: RequestInit & { timeoutMs: number }): Promise<Record<string, unknown>> {
  const { timeoutMs, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(url, { ...rest, redirect: 'error', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json', ...(rest.headers as Record<string, string> | undefined) } });
  } catch (err) {
    throw new Unavailable(`${new URL(url).origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  if (!response.ok) throw new Unavailable(`${new URL(url).origin}${new URL(url).pathname} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Unavailable(`${new URL(url).pathname} did not answer JSON`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Unavailable(`${new URL(url).pathname} did not answer a JSON object`);
  return body as Record<string, unknown>;
}
