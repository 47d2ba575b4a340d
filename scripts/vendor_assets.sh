#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry (run by hand when upgrading; the
# results are committed under static/vendor/ so the site needs no CDN or node at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent htmx.org@2.0.11 katex@0.16.47 >/dev/null && for t in *.tgz; do mkdir "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done)
rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/katex
cp "$tmp"/htmx.org-*/package/dist/htmx.min.js "$tmp"/htmx.org-*/package/LICENSE static/vendor/htmx/
k=$(echo "$tmp"/katex-*/package)
cp -r "$k"/dist/katex.min.css "$k"/dist/katex.min.js "$k"/dist/fonts "$k"/dist/contrib/auto-render.min.js "$k"/LICENSE static/vendor/katex/
echo "vendored htmx 2.0.11 and KaTeX 0.16.47 into static/vendor/"
