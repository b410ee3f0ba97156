#!/bin/sh
# Builds Parley's browser assets from npm packages and our sources. The
# outputs (static/css/app.css, static/js/htmx.min.js, static/js/sse.min.js,
# static/js/idiomorph-ext.min.js, static/js/app.min.js) are committed, so `go run ./app` needs no npm. Run
# after `npm ci`, and after every change to static/js/app.js:
#
#   sh static/build.sh        # copy and minify the JS and build the CSS
#   sh static/build.sh js     # the JS only
#   sh static/build.sh css    # build the CSS only
set -eu
cd "$(dirname "$0")/.."

copy_js() {
	cp node_modules/htmx.org/dist/htmx.min.js static/js/htmx.min.js
	cp node_modules/htmx-ext-sse/dist/sse.min.js static/js/sse.min.js
	# idiomorph with its htmx extension ("morph"), for live updates that
	# change a region in place instead of replacing it.
	cp node_modules/idiomorph/dist/idiomorph-ext.min.js static/js/idiomorph-ext.min.js
	# Pages load the minified script; app.js stays the source people read.
	# esbuild's output depends only on its version (pinned in package.json)
	# and the source, so CI can rebuild it and compare.
	npx --no-install esbuild static/js/app.js --minify --legal-comments=none --charset=utf8 \
		--log-level=warning --outfile=static/js/app.min.js
}

build_css() {
	BROWSERSLIST_IGNORE_OLD_DATA=1 npx --no-install tailwindcss -c tailwind.config.js -i styles/app.css -o static/css/app.css --minify
}

case "${1:-all}" in
js) copy_js ;;
css) build_css ;;
all) copy_js && build_css ;;
*) echo "usage: $0 [js|css|all]" >&2; exit 2 ;;
esac
