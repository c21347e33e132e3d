/**
 * Tests read arbitrary JSON bodies and assert on them with expect(); typing every response shape
 * in tests would only restate the schemas, so bodies are `any` here (and only here).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export async function json(res: Response): Promise<Json> {
  return res.json();
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
