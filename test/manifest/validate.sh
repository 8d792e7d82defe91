#!/usr/bin/env bash
# npm run test:manifest — validates manifest.xml, and the production manifest that
# `ADDIN_ORIGIN=… npm run build` writes, against Microsoft's XSDs with xmllint.
# Needs ../shared/office-schemas beside the project and Debian's libxml2-utils (.ci/run has both).
set -euo pipefail
cd "$(dirname "$0")/../.."
schema=../shared/office-schemas/OfficeAppManifestV1_1.xsd
if [ ! -f "$schema" ]; then
  echo "test:manifest: $schema is missing (the shared folder must sit beside the project)." >&2
  exit 1
fi
if ! command -v xmllint >/dev/null; then
  echo "test:manifest: xmllint is missing; install the Debian package libxml2-utils." >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ADDIN_ORIGIN=https://tls.example.com npx webpack --mode production --output-path "$out" >/dev/null
xmllint --noout --schema "$schema" manifest.xml "$out/manifest.xml"
if grep -q 'localhost' "$out/manifest.xml"; then
  echo "test:manifest: the production manifest still names localhost." >&2
  exit 1
fi
echo "test:manifest: $(grep -o 'https://tls.example.com/' "$out/manifest.xml" | wc -l) URLs moved to https://tls.example.com"
