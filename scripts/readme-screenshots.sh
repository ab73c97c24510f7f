#!/usr/bin/env sh
# Renders the README's screenshots of the heatmap viewer into docs/images/ (viewer-click.png, viewer-scroll.png,
# viewer-compare.png, viewer-group.png): a demo landing page with plausible traffic, in headless Chromium (Debian's chromium and
# chromedriver), on an embedded PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
mkdir -p docs/images
mvn -B -q -pl dashboard -am -Dtest=ReadmeScreenshots -Dsurefire.failIfNoSpecifiedTests=false \
    -Disotherm.screenshots="$PWD/docs/images" "$@" test
ls -l docs/images/viewer-*.png
