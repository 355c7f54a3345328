#!/usr/bin/env bash
# Installs the packed SDK into a fresh project the way a user would, compiles the Dinas Sosial
# example and a browser-only file under `tsc --strict`, and runs the example against a gateway
# when one is given: consumer-check.sh [GATEWAY_URL]  (or SIMPUL_GATEWAY_URL).
set -euo pipefail

SDK_DIR=$(cd "$(dirname "$0")/.." && pwd)
GATEWAY_URL=${1:-${SIMPUL_GATEWAY_URL:-}}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -f "$SDK_DIR/dist/index.js" ]; then
  echo "consumer check: no dist/; run \`npm run build -w @simpul/sdk\` first" >&2
  exit 1
fi

echo "consumer check: packing @simpul/sdk"
(cd "$SDK_DIR" && npm pack --pack-destination "$WORK" --silent >/dev/null)
TARBALL=$(ls "$WORK"/simpul-sdk-*.tgz)
echo "consumer check: $(basename "$TARBALL"), $(tar -tzf "$TARBALL" | wc -l) files"

mkdir "$WORK/consumer"
cd "$WORK/consumer"
cat >package.json <<'JSON'
{ "name": "simpul-consumer-check", "private": true, "type": "module" }
JSON
npm install --no-audit --no-fund --loglevel=error "$TARBALL" typescript@5.9.3 @types/node@20.19.43

node -e '
  const manifest = require("./node_modules/@simpul/sdk/package.json");
  const runtime = Object.keys(manifest.dependencies ?? {});
  if (runtime.length > 0) { console.error("runtime dependencies:", runtime); process.exit(1); }
  console.log("consumer check: zero runtime dependencies");
'

# The example as a user would write it: importing the package, not the repository's sources.
sed 's#"../src/index.ts"#"@simpul/sdk"#' "$SDK_DIR/examples/dinsos-report.ts" >dinsos-report.ts
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "types": ["node"],
    "outDir": "out"
  },
  "files": ["dinsos-report.ts"]
}
JSON
npx tsc -p tsconfig.json
echo "consumer check: the example compiles under tsc --strict (NodeNext)"

# A browser or Worker project has DOM types and no Node types: the declarations must suffice.
cat >browser.ts <<'TS'
import { createSimpulClient, isValidNik, SimpulProblemError } from "@simpul/sdk";

const simpul = createSimpulClient({
  baseUrl: location.origin,
  clientId: "portal",
  clientSecret: "from-your-backend",
  purpose: "complaint-handling",
});
export async function check(nik: string): Promise<string> {
  if (!isValidNik(nik)) return "invalid";
  try {
    const result = await simpul.enrolments.check({ nik });
    return result.findings.map((finding) => finding.type).join(", ");
  } catch (error) {
    if (error instanceof SimpulProblemError) return error.code;
    throw error;
  }
}
TS
cat >tsconfig.browser.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "lib": ["ES2022", "DOM"],
    "types": [],
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true
  },
  "files": ["browser.ts"]
}
JSON
npx tsc -p tsconfig.browser.json
echo "consumer check: a browser project (DOM types, no Node types) compiles"

node --input-type=module -e '
  import { createSimpulClient, parseNik, SDK_VERSION } from "@simpul/sdk";
  if (typeof createSimpulClient !== "function" || !parseNik("3273014501900001").ok) process.exit(1);
  console.log(`consumer check: import works (v${SDK_VERSION})`);
'

if [ -n "$GATEWAY_URL" ]; then
  echo "consumer check: running the example against $GATEWAY_URL"
  node out/dinsos-report.js "$SDK_DIR/examples/recipients.sample.csv" \
    --base-url "$GATEWAY_URL" \
    --client-id "${SIMPUL_CLIENT_ID:-dinsos-bandung}" \
    --client-secret "${SIMPUL_CLIENT_SECRET:-dev-dinsos-bandung-secret-7f3a9c21}" \
    --out report.md
  grep -q "^## Conflicting programs" report.md
  head -n 3 report.md
else
  echo "consumer check: no gateway URL given; the example was compiled, not run"
fi
echo "consumer check: passed"
