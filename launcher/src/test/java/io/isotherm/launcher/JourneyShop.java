package io.isotherm.launcher;

/**
 * The newcomer's own website for {@link NewcomerJourneyTest}: one landing page with a big "Buy now" button, whose
 * {@code <head>} carries whatever tag the newcomer pasted.
 */
final class JourneyShop extends TaggedSite {
    static final String PAGE = "/landing";
    private static final String LANDING = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Shop · Landing</title>
              %s
            </head>
            <body style="margin: 0; font-family: sans-serif">
              <main style="padding: 40px">
                <h1>Our shop</h1>
                <p>Everything you need, at a fair price.</p>
                <button id="buy" type="button" style="width: 480px; height: 200px; font-size: 48px">Buy now</button>
                <div style="height: 1400px"></div>
              </main>
            </body>
            </html>
            """;

    JourneyShop() {
        super((path, tag) -> path.equals(PAGE) ? LANDING.formatted(tag) : null);
    }

    /** The landing page's address. */
    String pageUrl() {
        return url(PAGE);
    }
}
