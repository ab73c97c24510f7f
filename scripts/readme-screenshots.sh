#!/usr/bin/env sh
# Renders the README's screenshots into docs/images/: the heatmap viewer (viewer-click.png, viewer-scroll.png,
# viewer-compare.png, viewer-group.png: a demo landing page with plausible traffic), the countries report (countries.png) and the
# engagement grids (engagement.png, engagement-pages.png), in headless Chromium (Debian's chromium and chromedriver),
# on an embedded PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
mkdir -p docs/images
mvn -B -q -pl dashboard -am -Dtest='ReadmeScreenshots,CountryReadmeScreenshot,EngagementScreenshot' \
    -Dsurefire.failIfNoSpecifiedTests=false -Disotherm.screenshots="$PWD/docs/images" "$@" test
ls -l docs/images/viewer-*.png docs/images/countries.png docs/images/engagement*.png
