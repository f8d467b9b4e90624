// Checks every mapping file (*.json, *.json.gz) in the given folders against mappings/schema/mappings.schema.json,
// so the schema users read cannot drift from the files casefhir ships.
//   node tests/tools/check-mappings-schema.mjs <ajv node_modules dir> <schema> <folder>...
// Exit 0 when every file is valid, 1 on any violation, 77 when ajv is unavailable (ctest skip).
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [modules, schemaPath, ...folders] = process.argv.slice(2);
let Ajv;
try {
  Ajv = createRequire(resolve(modules, 'noop.js'))('ajv');
} catch {
  console.error(`check-mappings-schema: ajv not found under ${modules}; run ../shared/tools/fhir-validate/install.sh`);
  process.exit(77);
}
const ajv = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

function* jsonFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'schema') yield* jsonFiles(path);
    } else if (name.endsWith('.json') || name.endsWith('.json.gz')) yield path;
  }
}

let files = 0, bad = 0;
for (const folder of folders) {
  for (const file of jsonFiles(folder)) {
    ++files;
    const bytes = readFileSync(file);
    const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    if (validate(JSON.parse(text))) continue;
    ++bad;
    for (const e of validate.errors) console.error(`${file}: ${e.instancePath || '/'}: ${e.message}`);
  }
}
console.log(`check-mappings-schema: ${files - bad} of ${files} files valid`);
process.exit(bad ? 1 : 0);
