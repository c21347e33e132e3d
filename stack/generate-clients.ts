/**
 * `npm run client:generate` / `npm run postman`: regenerates the storefront client's types
 * (clients/storefront/schema.d.ts) and the Postman collection (docs/cathay.postman_collection.json)
 * from the document the API serves. `--from <url>` reads a running API's /openapi.json instead.
 * Which artifacts: all by default, or `types` / `postman` as the first argument.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, collectionJson, collectionOperations, postmanCollection, ROOT, storefrontTypes } from './client-artifacts';
import { servedOpenApiDocument } from './served-openapi';

async function documentFrom(args: string[]): Promise<Record<string, unknown>> {
  const at = args.indexOf('--from');
  if (at < 0) return servedOpenApiDocument();
  const res = await fetch(args[at + 1] ?? '');
  if (!res.ok) throw new Error(`${args[at + 1]} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const which = args[0] === 'types' || args[0] === 'postman' ? args[0] : 'all';
  const document = await documentFrom(args);
  if (which !== 'postman') {
    writeFileSync(ARTIFACTS.types, await storefrontTypes(document));
    process.stdout.write(`wrote ${path.relative(ROOT, ARTIFACTS.types)}\n`);
  }
  if (which !== 'types') {
    const collection = await postmanCollection(document);
    writeFileSync(ARTIFACTS.postman, collectionJson(collection));
    process.stdout.write(`wrote ${path.relative(ROOT, ARTIFACTS.postman)} (${collectionOperations(collection.item).size} operations)\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
